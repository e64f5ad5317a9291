/**
 * `@baton/sdk`: everything a connector author imports.
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
export { type AbortListener, CallAbort } from './call-abort';
export { defineAction, defineConnector, isConnector, noConfig } from './define';
export { BatonError, type BatonErrorOptions, hasCode, isBatonError } from './errors/baton-error';
export {
  type BatonErrorCode,
  ERROR_CATALOG,
  type ErrorCodeEntry,
  errorAnchor,
  errorDescriptions,
  errorDocsPath,
  errorEntry,
  HTTP_ERROR_STATUS,
  type HttpErrorCode,
  isCatalogCode,
} from './errors/catalog/index';
export { toBatonError, validationErrorFromZod } from './errors/classify';
export { SDK_ERROR_CODES } from './errors/codes';
export {
  EgressBlockedError,
  HttpError,
  type HttpErrorResponse,
  isRetryableStatus,
} from './errors/http-error';
export {
  NonRetryableError,
  RateLimitedError,
  RetryableError,
  TimeoutError,
  ValidationError,
  type ValidationIssue,
} from './errors/kinds';
export { REDACTED, redactText, redactValue, SECRET_KEY_PATTERN, secretsOfConfig } from './errors/redact';
export { parseRetryAfter } from './errors/retry-after';
export {
  deserializeError,
  type SerializedError,
  type SerializeOptions,
  serializeError,
} from './errors/serialize';
export {
  type CreateHttpClientOptions,
  createHttpClient,
  type HttpClient,
  type HttpSetup,
} from './http/create-http-client';
export type { EgressPolicy } from './http/egress-guard';
export { redactUrl } from './http/redact-url';
export {
  type ConnectorInstance,
  type ConnectorInstanceOptions,
  createConnectorInstance,
  type InvokeOptions,
} from './instance';

export { type Logger, type LogLevel, type LogRecord, scrubbedLogger, silentLogger } from './logger';
export {
  type ActionManifest,
  type ConnectorManifest,
  connectorManifest,
  type JsonSchema,
  toJsonSchema,
} from './manifest';
export type {
  Action,
  ActionContext,
  ActionDefinition,
  ActionExample,
  AnyAction,
  Connector,
  ConnectorDefinition,
  RunInfo,
} from './types';
