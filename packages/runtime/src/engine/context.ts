import type { ConnectorInstance } from '@baton/sdk';
import type { Backend } from '../backend/types';
import type { BreakerPolicy } from './breaker';
import type { CompiledFlow } from './compile-flow';
import type { EngineEvent } from './events';
import type { EngineLogger } from './logger';

/** What every engine module works with, built once by `createEngine`. */
export interface EngineContext {
  readonly flows: ReadonlyMap<string, CompiledFlow>;
  readonly instances: ReadonlyMap<string, ConnectorInstance>;
  readonly backend: Backend;
  readonly log: EngineLogger;
  /** Every secret value the hub knows: kept out of records and logs. */
  readonly secrets: readonly string[];
  readonly breakerPolicy: (instance: string) => BreakerPolicy;
  /** Aborts for calls in flight in this process, by run id (cancel uses them). */
  readonly inFlight: Map<string, Set<AbortController>>;
  emit(event: EngineEvent): void;
  now(): number;
}
