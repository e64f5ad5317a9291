import type { CompiledFlow } from '../compile/compile-flow';
import type { RunRecord } from '../model/run-record';
import type { Task } from '../model/task';
import type { Facts } from './decision';

/** What every rule of the planner decides from: the flow, the run as read, and the clock. */
export interface Planning {
  flow: CompiledFlow;
  run: RunRecord;
  facts: Facts;
  /** Tasks queued (or handed over) while handling the current task so far. */
  queued: readonly Task[];
  now: number;
  /** Jitter for retry delays: `Math.random` in production, fixed in tests. */
  random: () => number;
  /** Secret values kept out of the errors the planner writes. */
  secrets: readonly string[];
}
