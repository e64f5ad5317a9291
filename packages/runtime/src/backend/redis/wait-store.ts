import type { CloudEvent } from '../../model/run-record';
import type { WaitEntry, WaitStore } from '../types';
import { guard } from './errors';
import type { Keys } from './keys';
import type { ScriptedRedis } from './scripts';

/**
 * Waits on Redis: one hash of waiters per (source, type, key), so an event
 * finds the runs it resumes with one lookup per key whatever the number of
 * waiting runs; the registration (lua/register-wait.ts) and ingest's take
 * (lua/ingest.ts) are each one script, so neither misses the other, and a
 * waiter is taken out by exactly one event.
 */
export class RedisWaitStore implements WaitStore {
  constructor(
    private readonly redis: ScriptedRedis,
    private readonly keys: Keys,
  ) {}

  async register(wait: WaitEntry, options: { sinceMs: number; lookbackMs: number }) {
    const { keys } = this;
    const hit = await guard(() =>
      this.redis.batonRegisterWait(
        keys.waiters(wait.source, wait.type, wait.key),
        keys.recentEvents(wait.source, wait.type, wait.key),
        waiterOf(wait.runId, wait.step),
        wait.flow,
        Math.floor(options.sinceMs),
        Math.max(0, Math.floor(options.lookbackMs)),
      ),
    );
    return typeof hit === 'string' ? (JSON.parse(hit) as CloudEvent) : undefined;
  }

  async forget(wait: WaitEntry) {
    const { keys } = this;
    await guard(() =>
      this.redis
        .multi()
        .hdel(keys.waiters(wait.source, wait.type, wait.key), waiterOf(wait.runId, wait.step))
        .hdel(keys.waitMatchPrefix + wait.runId, wait.step)
        .exec(),
    );
  }

  async matched(wait: WaitEntry) {
    const json = await guard(() => this.redis.hget(this.keys.waitMatchPrefix + wait.runId, wait.step));
    return json ? (JSON.parse(json) as CloudEvent) : undefined;
  }
}

/** A waiter's field: run ids and step ids hold no `|`. */
export function waiterOf(runId: string, step: string): string {
  return `${runId}|${step}`;
}
