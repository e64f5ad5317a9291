/**
 * `@baton/gateway`: the Hono app that receives signed webhooks, records them
 * with the runtime and serves the admin API, health and metrics.
 *
 * @example
 * ```ts
 * import { startGateway } from '@baton/gateway';
 * import { createEmbeddedBackend, loadHub } from '@baton/runtime';
 * const hub = await loadHub({ configPath: 'baton.config.json' });
 * const gateway = await startGateway({ hub, backend: createEmbeddedBackend(), port: 8080 });
 * ```
 *
 * @module
 */
export { createGatewayApp } from './app';
export type { GatewayDeps } from './deps';
export { GATEWAY_ERROR_CODES, GATEWAY_ERROR_STATUS, GatewayError, type GatewayErrorCode } from './errors';
export { type GatewayOptions, isLoopback, type RunningGateway, startGateway } from './gateway';
export { DEFAULT_HTTP_LIMITS, type HttpLimits } from './http-limits';
export { createGatewayLogger, type GatewayLoggerOptions } from './logger';
export {
  type CheckResult,
  type ConnectorHealth,
  type ConnectorHealthOptions,
  createConnectorHealth,
} from './ops/connector-health';
export { type EngineMetricsOptions, registerEngineMetrics } from './ops/engine-metrics';
export { createMetrics, type GatewayMetrics, type MetricsOptions } from './ops/metrics';
export {
  DEFAULT_OPS_PORT,
  type OpsServerOptions,
  type RunningOpsServer,
  startOpsServer,
  type WorkerState,
} from './ops/ops-server';
export { DEFAULT_MAX_BODY_DEPTH, valueTooDeep } from './webhooks/json-depth';
export { DEFAULT_BODY_LIMIT } from './webhooks/read-body';
export type { SignatureScheme, VerifiedMeta, VerifyInput } from './webhooks/scheme';
export { schemeFor } from './webhooks/schemes/index';
