import { type BackendFactory, embedded } from '../helpers/hub';
import { redis } from '../helpers/redis';

/**
 * Every backend the behaviour suite runs against: the embedded one, and
 * Redis (REDIS_URL, else 127.0.0.1:6379) on a fresh key prefix per test,
 * deleted when the test's hub closes.
 */
export const backends: BackendFactory[] = [embedded, redis];
