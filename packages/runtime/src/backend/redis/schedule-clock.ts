import type { Queue } from 'bullmq';
import type { EngineLogger } from '../../log/logger';
import type { ScheduleClock, ScheduleEntry } from '../types';
import { guard } from './errors';

/** Scheduler ids are `schedule|<flow>`; others in the queue are not ours to remove. */
const ID_PREFIX = 'schedule|';

/**
 * Cron schedules as BullMQ job schedulers: BullMQ keeps one pending job
 * per schedule in Redis and makes the next when a worker takes it, so a
 * tick fires once however many workers run, and schedules survive
 * restarts. That pending job is also the catch-up state: a tick due while
 * no worker ran is taken late when one starts, once, and the engine runs
 * or skips it by the flow's `catchUp`.
 */
export class RedisScheduleClock implements ScheduleClock {
  constructor(
    private readonly queue: Queue,
    private readonly log: EngineLogger,
  ) {}

  async sync(entries: readonly ScheduleEntry[]): Promise<void> {
    const wanted = new Map(entries.map((entry) => [`${ID_PREFIX}${entry.flow}`, entry]));
    const existing = await guard(() => this.queue.getJobSchedulers(0, -1));
    for (const scheduler of existing) {
      if (scheduler.key.startsWith(ID_PREFIX) && !wanted.has(scheduler.key)) {
        await guard(() => this.queue.removeJobScheduler(scheduler.key));
        this.log.info({ schedule: scheduler.key }, 'removed the schedule of a flow that is gone');
      }
    }
    for (const [id, entry] of wanted) {
      const current = existing.find((s) => s.key === id);
      // An unchanged schedule keeps its pending tick (it may be a missed one to catch up on).
      if (current && current.pattern === entry.cron && current.tz === entry.timezone) continue;
      await guard(() =>
        this.queue.upsertJobScheduler(
          id,
          { pattern: entry.cron, tz: entry.timezone },
          { name: 'tick', data: { flow: entry.flow } },
        ),
      );
    }
  }

  /** Schedules live in Redis and keep firing for the other workers; nothing runs in this process. */
  async stop(): Promise<void> {}
}
