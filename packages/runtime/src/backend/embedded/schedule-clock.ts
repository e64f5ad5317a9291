import { CronExpressionParser } from 'cron-parser';
import type { ScheduleClock, ScheduleEntry, TaskQueue } from '../types';

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Cron timers in this process. Each tick queues a `tick` task; nothing is
 * remembered across restarts, so there is nothing to catch up on.
 */
export class EmbeddedScheduleClock implements ScheduleClock {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly queue: TaskQueue) {}

  async sync(entries: readonly ScheduleEntry[]): Promise<void> {
    await this.stop();
    for (const entry of entries) this.arm(entry, new Date());
  }

  async stop(): Promise<void> {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private arm(entry: ScheduleEntry, from: Date): void {
    const next = CronExpressionParser.parse(entry.cron, { tz: entry.timezone, currentDate: from })
      .next()
      .toDate();
    const fire = () => {
      const wait = next.getTime() - Date.now();
      if (wait > 0) {
        this.timers.set(entry.flow, unref(setTimeout(fire, Math.min(wait, MAX_TIMER_MS))));
        return;
      }
      void this.queue.enqueue([{ kind: 'tick', flow: entry.flow, at: next.toISOString() }]);
      this.arm(entry, next);
    };
    this.timers.set(
      entry.flow,
      unref(setTimeout(fire, Math.min(Math.max(0, next.getTime() - Date.now()), MAX_TIMER_MS))),
    );
  }
}

function unref(timer: NodeJS.Timeout): NodeJS.Timeout {
  timer.unref();
  return timer;
}
