import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The installed version of `@baton/cli`. */
export const version: string = (require('../package.json') as { version: string }).version;
