import { describe, expect, it } from 'vitest';
import * as internal from './_internal/index';
import * as runtime from './index';

// Each entry point's names are a reviewed list: adding, moving or dropping a
// name must change this file too, so it is a decision and not an accident.
// Only values are listed: type-only exports (`RunRecord`, `Backend`,
// `EngineOptions` …) vanish when TypeScript is compiled away, so there is
// nothing to enumerate at run time; typecheck of every importer guards them.

function valueNames(module: object): string[] {
  return Object.keys(module).sort();
}

describe('the entry points of @baton/runtime', () => {
  it('@baton/runtime exports what a program embedding Baton relies on', () => {
    expect(valueNames(runtime)).toEqual([
      'ANALYTICS_TIERS',
      'BREAKER_DEFAULTS',
      'DIAGNOSTIC_CODES',
      'DURATION_BOUNDS_MS',
      'ENGINE_ERROR_CODES',
      'EXPRESSION_ERROR_CODES',
      'EXPRESSION_LIMITS',
      'EngineError',
      'ExpressionError',
      'HUB_ERROR_CODES',
      'HubLoadError',
      'REDIS_BACKEND_ERROR_CODES',
      'RETRY_DEFAULTS',
      'RUN_ERROR_CODES',
      'compileFlow',
      'compileTemplate',
      'configSchema',
      'createBackend',
      'createEmbeddedBackend',
      'createEngine',
      'createHubEngine',
      'createHubReloader',
      'createRedisBackend',
      'flowSchema',
      'flowToMermaid',
      'formatDiagnostic',
      'formatDuration',
      'idempotencyKey',
      'inspectExpression',
      'isDelayStep',
      'isScheduleTrigger',
      'loadConfigFile',
      'loadFlowFile',
      'loadHub',
      'parseConfig',
      'parseDuration',
      'parseFlow',
      'reloadHub',
      'silentEngineLogger',
      'spanOf',
      'validateFlow',
      'validateHub',
    ]);
  });

  it('@baton/runtime/internal exports what only the gateway, the CLI, the tests and the docs scripts use', () => {
    expect(valueNames(internal)).toEqual([
      'checkInstance',
      'durationSchema',
      'generateJsonSchemas',
      'importConnector',
      'resolveEnv',
    ]);
  });

  it('no name is in both entry points', () => {
    expect(valueNames(internal).filter((name) => name in runtime)).toEqual([]);
  });
});
