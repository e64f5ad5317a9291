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
import { guard } from './errors';
import type { Keys } from './keys';
import type { ScriptedRedis } from './scripts';

const TIERS: readonly AnalyticsTierName[] = ['minute', 'hour'];

/**
 * Flow analytics in Redis: one hash of counters per flow and time bucket,
 * each expiring on its own (PEXPIREAT at the bucket's end plus its tier's
 * keep). A run's end is one script call adding to its minute and hour
 * buckets (lua/record-analytics.ts); a window is one pipelined HGETALL per
 * bucket. Every process that ends runs writes here, so the figures are the
 * fleet's.
 */
export class RedisAnalyticsStore implements AnalyticsStore {
  constructor(
    private readonly redis: ScriptedRedis,
    private readonly keys: Keys,
  ) {}

  async record(figures: RunFigures): Promise<void> {
    const { plain, codes } = fieldIncrements(figures);
    const keys: string[] = [];
    const expiries: number[] = [];
    for (const tier of TIERS) {
      const start = bucketStart(tier, figures.endedAt);
      keys.push(this.keys.analytics(figures.flow, tier, start));
      expiries.push(expiryOf(tier, start));
    }
    await guard(() =>
      this.redis.batonRecordAnalytics(
        ...keys,
        MAX_CODES_PER_BUCKET,
        ...expiries,
        plain.length,
        ...plain.flat(),
        ...codes.flat(),
      ),
    );
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
