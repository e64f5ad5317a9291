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
