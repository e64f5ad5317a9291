import type { CallAbort, ConnectorInstance } from '@baton/sdk';
import type { Backend } from '../backend/types';
import type { EngineLogger } from '../log/logger';
import type { EngineEvent } from '../model/events';
import type { RunRecord } from '../model/run-record';
import type { Task } from '../model/task';
import type { BreakerPolicy } from './breaker';
import type { CompiledFlow } from './compile-flow';

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
  readonly inFlight: Map<string, Set<CallAbort>>;
  emit(event: EngineEvent): void;
  now(): number;
  /**
   * Queues tasks, as the backend's queue does. While a task is handled, a
   * step it just started may instead be handed over to the same worker
   * (see hand-over.ts); `startedIn` is the run as the start left it.
   */
  enqueue(tasks: readonly Task[], options?: { delayMs?: number; startedIn?: RunRecord }): Promise<void>;
}
