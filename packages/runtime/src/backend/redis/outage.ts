import type { EngineLogger } from '../../log/logger';

export interface RedisOutageOptions {
  /** Where Redis is, as logs name it (a redacted URL, or the Cluster's seeds). */
  redis: string;
  log: EngineLogger;
  /** True once Redis answers and every connection of this process is ready again. */
  probe: () => Promise<boolean>;
  /** How often the probe runs during an outage. @default 1000 */
  probeEveryMs?: number;
  now?: () => number;
}

/**
 * Logs an outage of Redis once: one warning when it starts and one line
 * when Redis is back. While Redis is away everything that touches it fails
 * over and over (each reconnect attempt of each connection, each poll of
 * the start relay and of BullMQ, each webhook), and a line for each would
 * bury the two that matter. The first failure reported starts the outage;
 * from then on a probe runs every `probeEveryMs` until it succeeds, so the
 * end is logged even when no traffic comes.
 */
export class RedisOutage {
  private since: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Reports count only while watching: a failure to connect at start is the caller's error, not an outage. */
  private state: 'starting' | 'watching' | 'closed' = 'starting';
  private readonly now: () => number;
  private readonly listeners: Array<() => void> = [];

  constructor(private readonly options: RedisOutageOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Whether an outage is under way. */
  get down(): boolean {
    return this.since !== undefined;
  }

  /** Calls `listener` when an outage starts and when it ends. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** From now on, reports start outages: the backend is connected and in use. */
  watch(): void {
    if (this.state === 'starting') this.state = 'watching';
  }

  /** A call or a connection found Redis unavailable: starts an outage unless one is under way. */
  report(error: unknown): void {
    if (this.state !== 'watching' || this.since !== undefined) return;
    this.since = this.now();
    this.options.log.warn(
      { redis: this.options.redis, err: error instanceof Error ? error.message : String(error) },
      'Redis is unavailable: calls fail with BACKEND_UNAVAILABLE and workers wait until it is back (logged once per outage)',
    );
    this.changed();
    this.schedule();
  }

  /** Stops probing: the backend is closing, and its connections going away is no outage. */
  close(): void {
    this.state = 'closed';
    clearTimeout(this.timer);
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.check(), this.options.probeEveryMs ?? 1000);
    // A probe must not keep a process alive that has nothing else to do.
    this.timer.unref();
  }

  private async check(): Promise<void> {
    const back = await this.options.probe().catch(() => false);
    if (this.state === 'closed') return;
    if (!back) {
      this.schedule();
      return;
    }
    const downForMs = this.now() - (this.since ?? this.now());
    this.since = undefined;
    this.options.log.info({ redis: this.options.redis, downForMs }, 'Redis is back');
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
