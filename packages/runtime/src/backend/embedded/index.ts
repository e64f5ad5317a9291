import type { Backend } from '../types';
import { EmbeddedBreakerStore } from './breaker-store';
import { EmbeddedBudgetStore } from './budget-store';
import { EmbeddedCredentialStore } from './credential-store';
import { DEFAULT_DEDUP_MAX_EVENTS, EmbeddedEventLog } from './event-log';
import { EmbeddedFlowVersions } from './flow-versions';
import { EmbeddedRateLimiter } from './limiter';
import { EmbeddedReplayJobStore } from './replay-job-store';
import { EmbeddedOrderLines } from './order-lines';
import { EmbeddedRunStore, type Retention } from './run-store';
import { EmbeddedScheduleClock } from './schedule-clock';
import { EmbeddedSignals } from './signals';
import { EmbeddedTaskQueue } from './task-queue';
import { EmbeddedWaitStore } from './wait-store';

export interface EmbeddedBackendOptions {
  retention?: Partial<Retention>;
  /**
   * How many event ids are remembered for deduplication at most (each for
   * the dedup window); beyond it the oldest are forgotten first, so memory
   * stays bounded under a steady stream. @default 100000
   */
  dedupMaxEvents?: number;
  now?: () => number;
}

export const DEFAULT_RETENTION: Retention = { runs: 10_000, maxAgeMs: 7 * 86_400_000 };

/**
 * The in-process backend, for development and single-node use. Fast and
 * dependency-free, but not durable: a crash loses queued work and state.
 */
export function createEmbeddedBackend(
  options: EmbeddedBackendOptions = {},
): Backend & { runs: EmbeddedRunStore } {
  const now = options.now ?? Date.now;
  const queue = new EmbeddedTaskQueue();
  const lines = new EmbeddedOrderLines(queue);
  const runs = new EmbeddedRunStore({ ...DEFAULT_RETENTION, ...options.retention }, now, lines);
  const waits = new EmbeddedWaitStore(now);
  return {
    name: 'embedded',
    durable: false,
    runs,
    queue,
    breakers: new EmbeddedBreakerStore(),
    events: new EmbeddedEventLog(
      runs,
      queue,
      waits,
      now,
      options.dedupMaxEvents ?? DEFAULT_DEDUP_MAX_EVENTS,
      lines,
    ),
    waits,
    limiter: new EmbeddedRateLimiter(now),
    budgets: new EmbeddedBudgetStore(now),
    schedules: new EmbeddedScheduleClock(queue),
    signals: new EmbeddedSignals(),
    flowVersions: new EmbeddedFlowVersions(runs, now),
    credentials: new EmbeddedCredentialStore(now),
    replayJobs: new EmbeddedReplayJobStore(),
    async ping() {},
    async close() {
      await queue.stop(0);
    },
  };
}

export { EmbeddedRunStore, type Retention } from './run-store';
