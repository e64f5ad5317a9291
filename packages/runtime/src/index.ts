/**
 * `@baton/runtime`: the flow language (schemas, expressions, static checks)
 * and the engine that runs flows on the embedded or the Redis backend. This
 * is the reviewed list of what a program that embeds Baton relies on: loading
 * and checking a hub, creating backends and engines, the flow language's
 * schemas and parsers, the run record and event types, and the errors with
 * their code lists. `@baton/runtime/internal` holds what Baton's own packages
 * share besides; it has no semver promise.
 *
 * @example
 * ```ts
 * import { createBackend, createHubEngine, loadHub } from '@baton/runtime';
 *
 * const hub = await loadHub({ configPath: 'baton.config.json' });
 * const backend = await createBackend(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {});
 * const engine = createHubEngine(hub, backend);
 * engine.startWorker({ concurrency: 16 });
 * const { runId } = await engine.trigger('order-fulfillment', { sku: 'A-1', qty: 2 });
 * console.log((await engine.waitForRun(runId, { timeoutMs: 60_000 })).status);
 * await engine.stop({ drainMs: 5_000 });
 * await backend.close();
 * ```
 *
 * @module
 */
export type { AnalyticsCounts, StepCounts } from './analytics/fields';
export { DURATION_BOUNDS_MS, type PercentileEstimate } from './analytics/histogram';
export type { ErrorCount, FlowAnalytics, StepAnalytics } from './analytics/report';
export type { RunFigures, StepFigures } from './analytics/run-figures';
export { ANALYTICS_TIERS, type AnalyticsSpan, type AnalyticsTier, spanOf } from './analytics/tiers';
export { type CreateBackendOptions, createBackend } from './backend/create-backend';
export { createEmbeddedBackend, type EmbeddedBackendOptions } from './backend/embedded/index';
export {
  createRedisBackend,
  type DurabilityMode,
  type QueueSettings,
  REDIS_BACKEND_ERROR_CODES,
  type RedisBackend,
  type RedisBackendOptions,
  type RedisClusterOptions,
  type ServerFacts,
} from './backend/redis/index';
export type { Retention, RetentionBound, RetentionOptions } from './backend/retention';
export type {
  AnalyticsStore,
  Backend,
  BreakerSnapshot,
  BreakerState,
  BreakerStore,
  CancelSignals,
  EventLog,
  FlowVersionStore,
  IngestAnswer,
  LiveEventBus,
  LiveListener,
  LiveSubscription,
  OrderTurn,
  PutStepsOptions,
  QueueDepth,
  RateLimiter,
  RunPatch,
  RunQuery,
  RunStore,
  ScheduleClock,
  ScheduleEntry,
  TaskQueue,
} from './backend/types';
export { BREAKER_DEFAULTS } from './compile/breaker-policy';
export { type CompiledFlow, type CompiledStep, compileFlow } from './compile/compile-flow';
export { RETRY_DEFAULTS } from './compile/retry-policy';
export { type LoadedConfig, loadConfigFile, parseConfig } from './config/load-config';
export {
  type BreakerConfig,
  type ConnectorInstanceConfig,
  configSchema,
  type HubConfig,
  type SourceConfig,
  type VerifyConfig,
} from './config/schema';
export { DIAGNOSTIC_CODES, type DiagnosticCode } from './diagnostics/codes';
export { type Diagnostic, type FormatDiagnosticOptions, formatDiagnostic } from './diagnostics/diagnostic';
export {
  createEngine,
  type DispatchResult,
  type Engine,
  type EngineOptions,
  type ReplayOptions,
  type ReplayResult,
  type RunView,
} from './engine/engine';
export {
  ENGINE_ERROR_CODES,
  EngineError,
  type EngineErrorCode,
  RUN_ERROR_CODES,
} from './engine/engine-error';
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
export { formatDuration, parseDuration } from './flow/duration';
export { type LoadedFlow, loadFlowFile, parseFlow } from './flow/load-flow';
export {
  type ActionStep,
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
  type Trigger,
  type WebhookTrigger,
} from './flow/schema';
export { flowToMermaid, type MermaidOptions } from './graph/flow-to-mermaid';
export { HUB_ERROR_CODES } from './hub/codes';
export { createHubEngine } from './hub/hub-engine';
export { createHubReloader, type HubReloader, type ReloadOutcome } from './hub/hub-reloader';
export { type Hub, HubLoadError, type LoadedSource, type LoadHubOptions, loadHub } from './hub/load-hub';
export { type HubReload, type ReloadHubOptions, reloadHub } from './hub/reload-hub';
export type { JsonDocument, JsonPath } from './json/json-document';
export { type EngineLogger, silentEngineLogger } from './log/logger';
export type { EngineEvent, EngineListener } from './model/events';
export { idempotencyKey } from './model/idempotency';
export type {
  BulkReplayAnswer,
  BulkReplayOptions,
  ReplayFilter,
  ReplayJob,
  ReplayJobStatus,
} from './model/replay-job';
export type {
  AttemptRecord,
  AuditEntry,
  CloudEvent,
  CompensationRecord,
  ItemRecord,
  RunRecord,
  RunStatus,
  RunSummary,
  SettledStatus,
  StepRecord,
  StepStatus,
  TriggerKind,
} from './model/run-record';
export type { Task } from './model/task';
export type { ConnectorCatalog } from './validate/catalog';
export { type FlowCheckContext, validateFlow } from './validate/validate-flow';
export {
  type FlowReport,
  type HubValidation,
  type ValidateHubOptions,
  validateHub,
} from './validate/validate-hub';
