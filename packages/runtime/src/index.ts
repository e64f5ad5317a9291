/**
 * `@baton/runtime`: the flow language (schemas, expressions, static checks)
 * and the engine that runs flows on the embedded or the Redis backend.
 *
 * @module
 */

export { type CreateBackendOptions, createBackend } from './backend/create-backend';
export {
  createEmbeddedBackend,
  DEFAULT_RETENTION,
  type EmbeddedBackendOptions,
} from './backend/embedded/index';
export type { Retention } from './backend/embedded/run-store';
export {
  createRedisBackend,
  DEFAULT_PREFIX,
  type DurabilityMode,
  type QueueSettings,
  REDIS_BACKEND_ERROR_CODES,
  type RedisBackend,
  type RedisBackendOptions,
  type ServerFacts,
} from './backend/redis/index';
export type {
  Backend,
  BreakerSnapshot,
  BreakerState,
  BreakerStore,
  CancelSignals,
  EventLog,
  IngestAnswer,
  QueueDepth,
  RateLimiter,
  RunPatch,
  RunQuery,
  RunStore,
  ScheduleClock,
  ScheduleEntry,
  TaskQueue,
} from './backend/types';
export { type LoadedConfig, loadConfigFile, parseConfig } from './config/load-config';
export { resolveEnv } from './config/resolve-env';
export {
  type BreakerConfig,
  type ConnectorInstanceConfig,
  configSchema,
  type HubConfig,
  type SourceConfig,
  type VerifyConfig,
} from './config/schema';
export { type ImportConnectorOptions, importConnector } from './connectors/import-connector';
export { DIAGNOSTIC_CODES, type DiagnosticCode } from './diagnostics/codes';
export {
  type Diagnostic,
  type FormatDiagnosticOptions,
  formatDiagnostic,
  sortDiagnostics,
} from './diagnostics/diagnostic';
export { BREAKER_DEFAULTS } from './engine/breaker';
export { type CompiledFlow, type CompiledStep, compileFlow } from './engine/compile-flow';
export {
  createEngine,
  type DispatchResult,
  type Engine,
  type EngineOptions,
  type ReplayResult,
} from './engine/engine';
export {
  ENGINE_ERROR_CODES,
  EngineError,
  type EngineErrorCode,
  RUN_ERROR_CODES,
} from './engine/engine-error';
export { RETRY_DEFAULTS, resolveRetry, retryDelay } from './engine/retry-policy';
export { eventMatches } from './engine/router';
export { type ExpressionFacts, inspectExpression, type ScopeReference } from './expressions/inspect';
export {
  type CompiledTemplate,
  compileTemplate,
  EXPRESSION_ERROR_CODES,
  EXPRESSION_LIMITS,
  ExpressionError,
  type ExpressionScope,
  type ExpressionSite,
} from './expressions/template';
export { durationSchema, formatDuration, parseDuration } from './flow/duration';
export { type LoadedFlow, loadFlowFile, parseFlow } from './flow/load-flow';
export {
  type ActionStep,
  actionStepSchema,
  type DelayStep,
  type Flow,
  flowSchema,
  isDelayStep,
  isScheduleTrigger,
  type OnFailureStep,
  type RetryPolicy,
  type Route,
  type ScheduleTrigger,
  type Step,
  stepSchema,
  type Trigger,
  type WebhookTrigger,
} from './flow/schema';
export { flowToMermaid, type MermaidOptions } from './graph/flow-to-mermaid';
export { HUB_ERROR_CODES } from './hub/codes';
export { createHubEngine } from './hub/hub-engine';
export { type Hub, HubLoadError, type LoadedSource, type LoadHubOptions, loadHub } from './hub/load-hub';
export type { JsonDocument, JsonPath } from './json/json-document';
export { type EngineLogger, silentEngineLogger } from './log/logger';
export type { EngineEvent, EngineListener } from './model/events';
export { idempotencyKey } from './model/idempotency';
export type {
  AttemptRecord,
  AuditEntry,
  CloudEvent,
  CompensationRecord,
  ItemRecord,
  RunRecord,
  RunStatus,
  RunSummary,
  StepRecord,
  StepStatus,
  TriggerKind,
} from './model/run-record';
export type { Task } from './model/task';
export { taskId } from './model/task';
export { generateJsonSchemas } from './schemas/json-schemas';
export type { ConnectorCatalog } from './validate/catalog';
export { type FlowCheckContext, flowFileDiagnostics, validateFlow } from './validate/validate-flow';
export {
  type FlowReport,
  type HubValidation,
  type ValidateHubOptions,
  validateHub,
} from './validate/validate-hub';
