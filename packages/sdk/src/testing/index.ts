/**
 * `@baton/sdk/testing`: run a connector's actions and its credentials
 * `check` in tests, against a real local HTTP server, check the
 * conformance every connector owes, and check that a change breaks no flow
 * without a major version (`checkCompatibility`).
 *
 * @example
 * ```ts
 * import { createTestServer, runAction, runCheck, checkConformance } from '@baton/sdk/testing';
 * ```
 *
 * @module
 */
export type { Bump, PendingBump } from './changesets';
export {
  type CompatibilityOptions,
  type CompatibilityReport,
  checkCompatibility,
} from './check-compatibility';
export {
  CANARY_SECRET,
  type ConformanceOptions,
  type ConformanceReport,
  checkConformance,
} from './conformance';
export {
  createCapturingLogger,
  type RunActionOptions,
  type RunActionResult,
  type RunCheckResult,
  runAction,
  runCheck,
  type TestInstanceOptions,
} from './run-action';
export {
  createTestServer,
  type RecordedRequest,
  type TestHandler,
  type TestResponse,
  type TestServer,
} from './test-server';
