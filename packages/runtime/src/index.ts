/**
 * `@baton/runtime`: the flow language (schemas, expressions, static checks)
 * and the engine that runs flows on the embedded or the Redis backend.
 *
 * @module
 */

export {
  type BreakerConfig,
  type ConnectorInstanceConfig,
  configSchema,
  type HubConfig,
  type SourceConfig,
  type VerifyConfig,
} from './config/schema';
export {
  type CompiledTemplate,
  compileTemplate,
  EXPRESSION_LIMITS,
  ExpressionError,
  type ExpressionScope,
  type ExpressionSite,
} from './expressions/template';
export { durationSchema, formatDuration, parseDuration } from './flow/duration';
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

export { type CompiledFlow, type CompiledStep, compileFlow } from './engine/compile-flow';
export { createEngine, type DispatchResult, type Engine, type EngineOptions } from './engine/engine';
export { ENGINE_ERROR_CODES, EngineError, type EngineErrorCode, RUN_ERROR_CODES } from './engine/engine-error';
export type { EngineEvent, EngineListener } from './engine/events';
export { type EngineLogger, silentEngineLogger } from './engine/logger';
export { eventMatches } from './engine/router';
export { idempotencyKey } from './engine/idempotency';
export { RETRY_DEFAULTS, retryDelay, resolveRetry } from './engine/retry-policy';
export { BREAKER_DEFAULTS } from './engine/breaker';
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
} from './engine/run-record';
export type {
  Backend,
  BreakerSnapshot,
  BreakerState,
  BreakerStore,
  EventLog,
  IngestAnswer,
  QueueDepth,
  RateLimiter,
  RunPatch,
  RunQuery,
  RunStore,
  ScheduleClock,
  ScheduleEntry,
  Task,
  TaskQueue,
} from './backend/types';
export { taskId } from './backend/types';
export { createEmbeddedBackend, DEFAULT_RETENTION, type EmbeddedBackendOptions } from './backend/embedded/index';
