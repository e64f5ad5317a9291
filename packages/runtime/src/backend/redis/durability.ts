import { BatonError } from '@baton/sdk';
import type { RedisClient } from './client';
import { guard } from './errors';

/** What an acknowledging write waits for before the caller may answer 2xx. */
export interface Durability {
  /** Resolves once every write this connection sent before the call is as durable as the mode promises. */
  confirm(): Promise<void>;
}

/** Redis accepted the write (in memory; on disk within `appendfsync`'s window). */
export const acceptedDurability: Durability = { confirm: async () => {} };

/**
 * Strict mode on Redis 7.2+: `WAITAOF 1 0 <timeout>` after the write, so it
 * is fsynced to the local append-only file before the answer. WAITAOF covers
 * every earlier write of the connection and blocks it until the fsync, so
 * concurrent writers share one: a caller joins the next WAITAOF sent after
 * its write was answered (one sent before could not cover it). Under
 * `appendfsync everysec` a confirm takes up to a second, shared by all.
 */
export class AofDurability implements Durability {
  private inFlight: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(
    private readonly redis: Pick<RedisClient, 'call'>,
    private readonly timeoutMs: number,
  ) {}

  confirm(): Promise<void> {
    if (!this.inFlight) return this.send();
    this.queued ??= this.inFlight
      .catch(() => {})
      .then(() => {
        this.queued = undefined;
        return this.send();
      });
    return this.queued;
  }

  private send(): Promise<void> {
    const sent: Promise<void> = this.waitAof().finally(() => {
      if (this.inFlight === sent) this.inFlight = undefined;
    });
    this.inFlight = sent;
    return sent;
  }

  private async waitAof(): Promise<void> {
    const [local] = (await guard(() => this.redis.call('WAITAOF', '1', '0', String(this.timeoutMs)))) as [
      number,
      number,
    ];
    if (local < 1) {
      throw new BatonError(
        `Redis did not confirm the write reached its append-only file within ${this.timeoutMs} ms`,
        { code: 'DURABILITY_TIMEOUT', retryable: true },
      );
    }
  }
}
