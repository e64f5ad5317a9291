/**
 * `@baton/runtime/internal`: what Baton's own packages (the gateway, the CLI,
 * the tests, the docs scripts) share with the runtime beyond its public
 * exports. It is for Baton's own packages only and carries no semver
 * promise: any release may change or drop a name here. Programs that embed
 * Baton import from `@baton/runtime`.
 *
 * @module
 */
export { resolveEnv } from '../config/resolve-env';
export { type ImportConnectorOptions, importConnector } from '../connectors/import-connector';
export { durationSchema } from '../flow/duration';
export { type CheckResult, checkInstance } from '../hub/check-instance';
export { generateJsonSchemas } from '../schemas/json-schemas';
