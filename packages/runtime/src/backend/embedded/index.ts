import type { Backend } from '../types';
import { EmbeddedBreakerStore } from './breaker-store';
import { EmbeddedEventLog } from './event-log';
import { EmbeddedRateLimiter } from './limiter';
import { EmbeddedRunStore, type Retention } from './run-store';
import { EmbeddedScheduleClock } from './schedule-clock';
import { EmbeddedSignals } from './signals';
import { EmbeddedTaskQueue } from './task-queue';

export interface EmbeddedBackendOptions {
  retention?: Partial<Retention>;
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
  const runs = new EmbeddedRunStore({ ...DEFAULT_RETENTION, ...options.retention }, now);
  const queue = new EmbeddedTaskQueue();
  return {
    name: 'embedded',
    durable: false,
    runs,
    queue,
    breakers: new EmbeddedBreakerStore(),
    events: new EmbeddedEventLog(runs, queue, now),
    limiter: new EmbeddedRateLimiter(now),
    schedules: new EmbeddedScheduleClock(queue),
    signals: new EmbeddedSignals(),
    async ping() {},
    async close() {
      await queue.stop(0);
    },
  };
}

export { EmbeddedRunStore, type Retention } from './run-store';
