import { countingOpenings } from '../breaker-openings';
import { type RetentionOptions, resolveRetention } from '../retention';
import type { Backend } from '../types';
import { EmbeddedAnalyticsStore } from './analytics-store';
import { EmbeddedBreakerStore } from './breaker-store';
import { EmbeddedBudgetStore } from './budget-store';
import { EmbeddedCredentialStore } from './credential-store';
import { DEFAULT_DEDUP_MAX_EVENTS, EmbeddedEventLog } from './event-log';
import { EmbeddedFlowVersions } from './flow-versions';
import { EmbeddedRateLimiter } from './limiter';
import { EmbeddedLiveEvents } from './live-events';
import { EmbeddedOrderLines } from './order-lines';
import { EmbeddedReplayJobStore } from './replay-job-store';
import { EmbeddedRunStore } from './run-store';
import { EmbeddedScheduleClock } from './schedule-clock';
import { EmbeddedSignals } from './signals';
import { EmbeddedTaskQueue } from './task-queue';
import { EmbeddedWaitStore } from './wait-store';

export interface EmbeddedBackendOptions {
  /** How many finished runs, and for how long, are kept (see resolveRetention). */
  retention?: RetentionOptions;
  /**
   * How many event ids are remembered for deduplication at most (each for
   * the dedup window); beyond it the oldest are forgotten first, so memory
   * stays bounded under a steady stream. @default 100000
   */
  dedupMaxEvents?: number;
  now?: () => number;
}

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
  const runs = new EmbeddedRunStore(resolveRetention(options.retention), now, lines);
  const waits = new EmbeddedWaitStore(now);
  const analytics = new EmbeddedAnalyticsStore(now);
  return {
    name: 'embedded',
    durable: false,
    runs,
    queue,
    breakers: countingOpenings(new EmbeddedBreakerStore(), analytics),
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
    live: new EmbeddedLiveEvents(),
    flowVersions: new EmbeddedFlowVersions(runs, now),
    credentials: new EmbeddedCredentialStore(now),
    replayJobs: new EmbeddedReplayJobStore(),
    analytics,
    async ping() {},
    async close() {
      await queue.stop(0);
    },
  };
}

export { EmbeddedRunStore } from './run-store';
