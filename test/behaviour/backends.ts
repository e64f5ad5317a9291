import { type BackendFactory, embedded } from '../helpers/hub';

/**
 * Every backend the behaviour suite runs against. The Redis backend joins
 * this list; the suite itself does not change.
 */
export const backends: BackendFactory[] = [embedded];
