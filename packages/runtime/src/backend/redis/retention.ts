import type { EngineLogger } from '../../log/logger';
import type { Retention } from '../embedded/run-store';
import { guard } from './errors';
import type { Keys } from './keys';
import type { ScriptedRedis } from './scripts';

/** At most this many runs are dropped per pass, so one pass never blocks Redis for long. */
const BATCH = 500;
const TERMINAL = ['succeeded', 'failed', 'cancelled'] as const;

/**
 * Keeps the finished runs within `retention`: beyond `runs` of them, or
 * older than `maxAgeMs`, they go, oldest first, with their index entries.
 * Runs that have not ended are never touched. A pass starts once the bound
 * is exceeded by a small slack (so it is not one pass per run), and at most
 * once a minute for age; any process may run one, and two at once only
 * delete the same keys twice.
 */
export class RetentionTrimmer {
  private pass: Promise<void> | undefined;
  private lastAgeSweep = 0;
  private readonly slack: number;

  constructor(
    private readonly redis: ScriptedRedis,
    private readonly keys: Keys,
    readonly retention: Retention,
    private readonly log: EngineLogger,
    private readonly now: () => number,
  ) {
    this.slack = Math.max(1, Math.min(1000, Math.floor(retention.runs / 100)));
  }

  /** How long a finished run's hash lives on its own: past maxAge, so a trim pass still finds its flow. */
  get expiryMs(): number {
    return this.retention.maxAgeMs + Math.min(this.retention.maxAgeMs, 3_600_000);
  }

  /** Called after a run ended, with the number of finished runs now kept. */
  afterFinish(finishedCount: number): void {
    const now = this.now();
    const ageDue = now - this.lastAgeSweep > Math.min(60_000, this.retention.maxAgeMs);
    if (finishedCount <= this.retention.runs + this.slack && !ageDue) return;
    void this.trim();
  }

  /** Runs one trimming pass (or joins the one in progress); resolves when it is done. */
  trim(): Promise<void> {
    this.pass ??= this.trimAll()
      .catch((err: unknown) => this.log.warn({ err }, 'trimming finished runs failed; retrying later'))
      .finally(() => {
        this.pass = undefined;
      });
    return this.pass;
  }

  /** Waits for a pass in progress (before closing the connection). */
  async idle(): Promise<void> {
    await this.pass;
  }

  private async trimAll(): Promise<void> {
    this.lastAgeSweep = this.now();
    let dropped = BATCH;
    while (dropped === BATCH) dropped = await this.trimBatch();
  }

  private async trimBatch(): Promise<number> {
    const { redis, keys } = this;
    const count = await guard(() => redis.zcard(keys.finished));
    const excess = Math.min(BATCH, count - this.retention.runs);
    const [overCount, overAge] = await guard(() =>
      Promise.all([
        excess > 0 ? redis.zrange(keys.finished, '0', String(excess - 1)) : Promise.resolve([]),
        redis.zrangebyscore(
          keys.finished,
          '-inf',
          String(this.now() - this.retention.maxAgeMs),
          'LIMIT',
          0,
          BATCH,
        ),
      ]),
    );
    const ids = [...new Set([...overCount, ...overAge])].slice(0, BATCH);
    if (ids.length === 0) return 0;
    const flows = await guard(() => Promise.all(ids.map((id) => redis.hget(keys.run(id), 'flow'))));
    const drop = redis.multi();
    ids.forEach((id, i) => {
      drop.del(keys.run(id), keys.items(id)).zrem(keys.allRuns, id).zrem(keys.finished, id);
      for (const status of TERMINAL) drop.zrem(keys.statusRuns(status), id);
      const flow = flows[i];
      if (flow) drop.zrem(keys.flowRuns(flow), id);
    });
    await guard(() => drop.exec());
    return ids.length;
  }
}
