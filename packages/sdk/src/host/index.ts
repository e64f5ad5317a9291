/**
 * `@baton/sdk/host`: what a program that hosts connectors needs and a
 * connector author does not: binding a connector to its config and calling
 * its actions, keeping secrets out of logs and records, serialising errors
 * into run records, reading the error catalog by area, the manifests that
 * static checks read and their comparison between two versions of a
 * connector, and the OpenTelemetry helpers the hub's processes share
 * (whether tracing is on, W3C trace context carried through queues, trace ids
 * for log lines). Baton's runtime, gateway and CLI are built on it; so is
 * any tool that calls actions outside a hub.
 *
 * @example
 * ```ts
 * import { createConnectorInstance, serializeError } from '@baton/sdk/host';
 * import connector from '@baton/connector-slack';
 *
 * const slack = createConnectorInstance(connector, { token: process.env.SLACK_TOKEN });
 * try {
 *   await slack.invoke('send-message', { input: { channel: '#ops', text: 'hi' }, idempotencyKey: 'k-1' });
 * } catch (error) {
 *   console.error(serializeError(error, { secrets: slack.secrets }));
 * }
 * ```
 *
 * @module
 */
export { memoryCredentialStore } from '../auth/memory-credential-store';
export type { CredentialStatus, CredentialStore, StoredCredentials } from '../auth/types';
export { type AbortListener, CallAbort } from '../call-abort';
export { compareSchemas } from '../compat/compare-schema';
export { resolveRef, type SchemaNode } from '../compat/context';
export {
  changeLocation,
  diffManifests,
  formatChange,
  type ManifestChange,
  type ManifestDiff,
  type ManifestVerdict,
} from '../compat/diff-manifests';
export type { ChangeKind, ChangeSeverity, SchemaChange, SchemaRole } from '../compat/types';
export { isConnector } from '../define';
export {
  errorAnchor,
  errorDescriptions,
  errorDocsPath,
  errorEntry,
  HTTP_ERROR_STATUS,
  type HttpErrorCode,
  isCatalogCode,
} from '../errors/catalog/index';
export { toBatonError, validationErrorFromZod } from '../errors/classify';
export { REDACTED, redactText, redactValue, SECRET_KEY_PATTERN, secretsOfConfig } from '../errors/redact';
export {
  deserializeError,
  type SerializedError,
  type SerializeOptions,
  serializeError,
} from '../errors/serialize';
export type { BearerContext, BearerTokenSource } from '../http/bearer-auth';
export { type CreateHttpClientOptions, createHttpClient } from '../http/create-http-client';
export { createEgressGuard, type EgressGuard, type EgressPolicy } from '../http/egress-guard';
export { redactUrl } from '../http/redact-url';
export {
  type CheckOptions,
  type ConnectorInstance,
  type ConnectorInstanceOptions,
  createConnectorInstance,
  type InvokeOptions,
} from '../instance';
export { throttleOf, throttleOfAnswer } from '../limits/provider-throttle';
export type { ProviderThrottle } from '../limits/types';
export { scrubbedLogger, silentLogger } from '../logger';
export {
  type ActionManifest,
  type ConnectorManifest,
  connectorManifest,
  type JsonSchema,
  toJsonSchema,
} from '../manifest';
export { carrierOf, contextOf, spanContextOf, type TraceCarrier } from '../tracing/carrier';
export { type TraceLogFields, traceLogFields } from '../tracing/log-fields';
export { batonTracer, isTracing, refreshTracing } from '../tracing/state';
