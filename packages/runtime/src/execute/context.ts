import type { ConnectorInstance } from '@baton/sdk/host';
import type { Backend } from '../backend/types';
import type { BreakerPolicy } from '../compile/breaker-policy';
import type { Budget } from '../compile/budget-policy';
import type { CompiledFlow } from '../compile/compile-flow';
import type { EngineLogger } from '../log/logger';
import type { EngineEvent } from '../model/events';
import type { RunRecord } from '../model/run-record';
import type { Deadlines } from './deadlines';
import type { InFlightCalls } from './in-flight';
import type { LeasedSlots } from './leased-slots';

/** What the executor works with, built once by `createEngine`. */
export interface ExecuteContext {
  /** The current version of each flow: what new runs start on. */
  readonly flows: ReadonlyMap<string, CompiledFlow>;
  /**
   * The flow a run runs on: the version it started with (`run.flowVersion`).
   * Synchronous for the current version; a promise when an older version's
   * definition is read from the backend; undefined when it is gone.
   */
  flowOf(run: RunRecord): CompiledFlow | undefined | Promise<CompiledFlow | undefined>;
  readonly instances: ReadonlyMap<string, ConnectorInstance>;
  readonly backend: Backend;
  readonly log: EngineLogger;
  /** Every secret value the hub knows: kept out of records and logs. */
  readonly secrets: readonly string[];
  readonly breakerPolicy: (instance: string) => BreakerPolicy;
  /** The instance's provider budget: the config's limits over the connector's defaults. */
  readonly budget: (instance: string) => Budget;
  /** Provider pauses this process knows of, by instance: until when, and when last read from the store. */
  readonly pauses: Map<string, { until: number; readAt: number }>;
  /**
   * Calls of this process waiting in their worker slot for their budget's
   * turn, and how many may: the rest wait in the queue, so a flood of calls
   * to a slow budget never takes every slot from the other flows.
   */
  readonly turnWaits: { inWorker: number; max: number };
  /** Budget slots this process leased for its next calls, by instance. */
  readonly slots: LeasedSlots;
  /** How long each limited instance's calls typically take here (ms, a moving average). */
  readonly callMs: Map<string, number>;
  /** Aborts for calls in flight in this process, by run id (cancel uses them). */
  readonly inFlight: InFlightCalls;
  /** The timeouts of calls in flight in this process. */
  readonly deadlines: Deadlines;
  emit(event: EngineEvent): void;
  now(): number;
}
