/**
 * `@baton/sdk`: everything a connector author imports. What a program that
 * hosts connectors needs besides (binding and invoking instances, redaction,
 * error serialisation, manifests) is in `@baton/sdk/host`; the test harness
 * is in `@baton/sdk/testing`. The names marked `@deprecated` below moved to
 * `@baton/sdk/host`; the root keeps them for one minor release so that
 * programs written against 0.1 keep compiling while they move their imports.
 * Baton's own packages import them from `@baton/sdk/host` already.
 *
 * @example
 * ```ts
 * import { defineConnector, defineAction, NonRetryableError } from '@baton/sdk';
 * import { z } from 'zod';
 *
 * export default defineConnector({
 *   name: 'acme-helpdesk',
 *   config: z.object({ baseUrl: z.string().url(), apiKey: z.string() }),
 *   http: (config) => ({ baseURL: config.baseUrl, headers: { authorization: `Bearer ${config.apiKey}` } }),
 *   actions: {
 *     'create-ticket': defineAction({
 *       input: z.object({ subject: z.string(), email: z.string().email() }),
 *       output: z.object({ id: z.string() }),
 *       async run({ input, http, idempotencyKey }) {
 *         const { data } = await http.post('/tickets', input, { headers: { 'Idempotency-Key': idempotencyKey } });
 *         return { id: String(data.id) };
 *       },
 *     }),
 *   },
 * });
 * ```
 *
 * @module
 */

export {
  type ClientCredentialsOptions,
  oauth2ClientCredentials,
  oauth2RefreshToken,
  type RefreshTokenOptions,
} from './auth/grants';
export type {
  ConnectorAuth,
  CredentialStatus,
  OAuth2Auth,
} from './auth/types';
export {
  /** @deprecated Import from `@baton/sdk/host`: the root keeps a connector author's API only. */
  CallAbort,
} from './call-abort';
export { defineAction, defineConnector, noConfig } from './define';
export { BatonError, type BatonErrorOptions, hasCode, isBatonError } from './errors/baton-error';
export {
  type BatonErrorCode,
  ERROR_CATALOG,
  type ErrorCodeEntry,
  /** @deprecated Import from `@baton/sdk/host`: the root keeps a connector author's API only. */
  errorDescriptions,
} from './errors/catalog/index';
export {
  /** @deprecated Import from `@baton/sdk/host`: the root keeps a connector author's API only. */
  toBatonError,
} from './errors/classify';
export { SDK_ERROR_CODES } from './errors/codes';
export {
  EgressBlockedError,
  HttpError,
  type HttpErrorResponse,
  isRetryableStatus,
} from './errors/http-error';
export {
  CredentialsInvalidError,
  NonRetryableError,
  RateLimitedError,
  RetryableError,
  TimeoutError,
  ValidationError,
  type ValidationIssue,
} from './errors/kinds';
export {
  /** @deprecated Import from `@baton/sdk/host`: the root keeps a connector author's API only. */
  redactValue,
} from './errors/redact';
export { parseRetryAfter } from './errors/retry-after';
export {
  /** @deprecated Import from `@baton/sdk/host`: the root keeps a connector author's API only. */
  type SerializedError,
  /** @deprecated Import from `@baton/sdk/host`: the root keeps a connector author's API only. */
  serializeError,
} from './errors/serialize';
export type { HttpClient, HttpSetup } from './http/create-http-client';
export {
  /** @deprecated Import from `@baton/sdk/host`: the root keeps a connector author's API only. */
  type ConnectorInstance,
  /** @deprecated Import from `@baton/sdk/host`: the root keeps a connector author's API only. */
  createConnectorInstance,
} from './instance';
export {
  type HeaderSource,
  parseRateLimitHeaders,
  type RateLimitState,
} from './limits/rate-limit-headers';
export type { ConnectorLimits, ProviderThrottle } from './limits/types';
export type { Logger, LogLevel, LogRecord } from './logger';
export type {
  Action,
  ActionContext,
  ActionDefinition,
  ActionExample,
  AnyAction,
  CheckContext,
  Connector,
  ConnectorDefinition,
  RunInfo,
} from './types';
