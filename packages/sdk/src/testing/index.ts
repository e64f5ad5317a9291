/**
 * `@baton/sdk/testing`: run a connector's actions and its credentials
 * `check` in tests, against a real local HTTP server, and check the
 * conformance every connector owes.
 *
 * @example
 * ```ts
 * import { createTestServer, runAction, runCheck, checkConformance } from '@baton/sdk/testing';
 * ```
 *
 * @module
 */
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
