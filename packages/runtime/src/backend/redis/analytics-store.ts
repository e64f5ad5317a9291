import {
  type AnalyticsCounts,
  addFields,
  emptyCounts,
  fieldIncrements,
  MAX_CODES_PER_BUCKET,
} from '../../analytics/fields';
import type { RunFigures } from '../../analytics/run-figures';
import {
  type AnalyticsSpan,
  type AnalyticsTierName,
  bucketStart,
  bucketStarts,
  expiryOf,
} from '../../analytics/tiers';
import type { AnalyticsStore } from '../types';
import { guard, isUnavailable, unavailable } from './errors';
import type { Keys } from './keys';
import type { ScriptedRedis } from './scripts';

const TIERS: readonly AnalyticsTierName[] = ['minute', 'hour'];

/** How long run ends gather in a process before they go to Redis together. */
const FLUSH_MS = 200;

/** What the runs of one flow that ended in one minute add, gathered before they are written. */
interface Pending {
  keys: string[];
  expiries: number[];
  plain: Map<string, number>;
  codes: Map<string, number>;
}

/**
 * Flow analytics in Redis: one hash of counters per flow and time bucket,
 * each expiring on its own (PEXPIREAT at the bucket's end plus its tier's
 * keep); a window is one pipelined HGETALL per bucket. Every process that
 * ends runs writes here, so the figures are the fleet's.
 *
 * Run ends gather in the process for up to `FLUSH_MS`, summed per flow and
 * minute, then go as one script call per flow and minute
 * (lua/record-analytics.ts): a busy hub pays a few calls a second, not one
 * per run. A process killed meanwhile loses those runs' figures (the runs
 * themselves are not affected); `close()` writes what is pending.
 */
export class RedisAnalyticsStore implements AnalyticsStore {
  constructor(
    private readonly redis: ScriptedRedis,
    private readonly keys: Keys,
  ) {}

  private readonly pending = new Map<string, Pending>();
  private flushing: { timer: NodeJS.Timeout; done: Promise<void> } | undefined;

  /**
   * Adds the run to what goes to Redis within `FLUSH_MS`. The first run end
   * of a batch settles once the batch went (or failed to); the others at once.
   */
  record(figures: RunFigures): Promise<void> {
    const { plain, codes } = fieldIncrements(figures);
    const id = `${figures.flow}\u0000${bucketStart('minute', figures.endedAt)}`;
    let batch = this.pending.get(id);
    if (!batch) {
      batch = { keys: [], expiries: [], plain: new Map(), codes: new Map() };
      for (const tier of TIERS) {
        const start = bucketStart(tier, figures.endedAt);
        batch.keys.push(this.keys.analytics(figures.flow, tier, start));
        batch.expiries.push(expiryOf(tier, start));
      }
      this.pending.set(id, batch);
    }
    for (const [field, by] of plain) batch.plain.set(field, (batch.plain.get(field) ?? 0) + by);
    for (const [field, by] of codes) batch.codes.set(field, (batch.codes.get(field) ?? 0) + by);
    const first = !this.flushing;
    if (!this.flushing) {
      let timer!: NodeJS.Timeout;
      const done = new Promise<void>((resolve, reject) => {
        timer = setTimeout(() => this.flush().then(resolve, reject), FLUSH_MS);
      });
      timer.unref();
      this.flushing = { timer, done };
    }
    // The batch's first run end answers for the batch: a failed write is reported once, not once per run.
    return first ? this.flushing.done : Promise.resolve();
  }

  /** Writes every pending run end now (a read, the backend closing). */
  async flush(): Promise<void> {
    if (this.flushing) clearTimeout(this.flushing.timer);
    this.flushing = undefined;
    const batches = [...this.pending.values()];
    this.pending.clear();
    if (batches.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const b of batches) {
      (pipeline as unknown as ScriptedRedis).batonRecordAnalytics(
        ...b.keys,
        MAX_CODES_PER_BUCKET,
        ...b.expiries,
        b.plain.size,
        ...[...b.plain].flat(),
        ...[...b.codes].flat(),
      );
    }
    const results = (await guard(() => pipeline.exec())) ?? [];
    const failed = results.find(([error]) => error)?.[0];
    if (failed) throw isUnavailable(failed) ? unavailable(failed) : failed;
  }

  async recordBreakerOpening(instance: string, at: number): Promise<void> {
    const tx = this.redis.multi();
    for (const tier of TIERS) {
      const start = bucketStart(tier, at);
      const key = this.keys.analyticsBreakers(tier, start);
      tx.hincrby(key, instance, 1).pexpireat(key, expiryOf(tier, start));
    }
    await guard(() => tx.exec());
  }

  async read(flow: string, span: AnalyticsSpan): Promise<AnalyticsCounts> {
    // What this process gathered is read too.
    await this.flush();
    const counts = emptyCounts();
    const hashes = await this.hashes(bucketStarts(span).map((s) => this.keys.analytics(flow, span.tier, s)));
    for (const hash of hashes) addFields(counts, Object.entries(hash));
    return counts;
  }

  async breakerOpenings(span: AnalyticsSpan): Promise<Map<string, number>> {
    const openings = new Map<string, number>();
    const hashes = await this.hashes(
      bucketStarts(span).map((s) => this.keys.analyticsBreakers(span.tier, s)),
    );
    for (const hash of hashes) {
      for (const [instance, n] of Object.entries(hash)) {
        openings.set(instance, (openings.get(instance) ?? 0) + Number(n));
      }
    }
    return openings;
  }

  /** Every key's hash, in one pipeline. */
  private async hashes(keys: readonly string[]): Promise<Array<Record<string, string>>> {
    if (keys.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.hgetall(key);
    const results = (await guard(() => pipeline.exec())) ?? [];
    return results.map(([error, hash]) => {
      if (error) throw error;
      return (hash ?? {}) as Record<string, string>;
    });
  }
}
