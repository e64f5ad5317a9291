import {
  type AnalyticsCounts,
  addFields,
  codeFieldsOf,
  emptyCounts,
  MAX_CODES_PER_BUCKET,
  visitIncrements,
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

interface Bucket {
  expiresAt: number;
  fields: Map<string, number>;
}

const TIERS: readonly AnalyticsTierName[] = ['minute', 'hour'];
/** Adds one to an error code's counter, or to `(other)` once the bucket counts as many codes as it keeps. */
function addCode(fields: Map<string, number>, field: string): void {
  let target = field;
  if (!fields.has(field)) {
    const { other, distinct } = codeFieldsOf(field);
    const known = fields.get(distinct) ?? 0;
    if (known < MAX_CODES_PER_BUCKET) fields.set(distinct, known + 1);
    else target = other;
  }
  fields.set(target, (fields.get(target) ?? 0) + 1);
}

/** How often expired buckets are swept out (they are ignored by reads from the moment they expire). */
const SWEEP_EVERY_MS = 60_000;

/**
 * Flow analytics in process memory, kept as the Redis backend keeps them
 * (the same fields, the same bound on error codes per bucket, the same
 * expiry), so memory is bounded by flows × buckets kept, not by runs.
 */
export class EmbeddedAnalyticsStore implements AnalyticsStore {
  private readonly buckets = new Map<string, Bucket>();
  private nextSweep = 0;
  /**
   * The bucket each tier last answered, by tier: run ends come in runs of
   * the same flow and minute, and the bucket's key is a string to build
   * and hash otherwise. Dropped when a sweep deletes buckets.
   */
  private readonly last: Array<{ owner: string; start: number; bucket: Bucket } | undefined> = [];

  constructor(private readonly now: () => number) {}

  async record(figures: RunFigures): Promise<void> {
    const owner = `f|${figures.flow}`;
    const minute = this.bucket(owner, 'minute', figures.endedAt);
    const hour = this.bucket(owner, 'hour', figures.endedAt);
    // Added as they come, to both tiers' buckets at once: no list of the run's counters is made.
    visitIncrements(
      figures,
      (field, by) => {
        if (minute) minute.set(field, (minute.get(field) ?? 0) + by);
        if (hour) hour.set(field, (hour.get(field) ?? 0) + by);
      },
      (field) => {
        if (minute) addCode(minute, field);
        if (hour) addCode(hour, field);
      },
    );
  }

  async recordBreakerOpening(instance: string, at: number): Promise<void> {
    for (const tier of TIERS) {
      const fields = this.bucket('b', tier, at);
      fields?.set(instance, (fields.get(instance) ?? 0) + 1);
    }
  }

  async read(flow: string, span: AnalyticsSpan): Promise<AnalyticsCounts> {
    const counts = emptyCounts();
    for (const fields of this.live(`f|${flow}`, span)) addFields(counts, fields);
    return counts;
  }

  async breakerOpenings(span: AnalyticsSpan): Promise<Map<string, number>> {
    const openings = new Map<string, number>();
    for (const fields of this.live('b', span)) {
      for (const [instance, n] of fields) openings.set(instance, (openings.get(instance) ?? 0) + n);
    }
    return openings;
  }

  /** How many buckets are held (expired ones included until swept): for tests of the bound. */
  get size(): number {
    return this.buckets.size;
  }

  /** The fields of the bucket of `at`, made when missing; undefined when it has expired already. */
  private bucket(owner: string, tier: AnalyticsTierName, at: number): Map<string, number> | undefined {
    const now = this.now();
    this.sweep(now);
    const start = bucketStart(tier, at);
    const expiresAt = expiryOf(tier, start);
    if (expiresAt <= now) return undefined;
    const slot = tier === 'minute' ? 0 : 1;
    const last = this.last[slot];
    if (last && last.start === start && last.owner === owner) return last.bucket.fields;
    const key = `${owner}|${tier}|${start}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { expiresAt, fields: new Map() };
      this.buckets.set(key, bucket);
    }
    this.last[slot] = { owner, start, bucket };
    return bucket.fields;
  }

  private *live(owner: string, span: AnalyticsSpan): Iterable<Map<string, number>> {
    const now = this.now();
    for (const start of bucketStarts(span)) {
      const bucket = this.buckets.get(`${owner}|${span.tier}|${start}`);
      if (bucket && bucket.expiresAt > now) yield bucket.fields;
    }
  }

  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + SWEEP_EVERY_MS;
    this.last.length = 0;
    for (const [key, bucket] of this.buckets) if (bucket.expiresAt <= now) this.buckets.delete(key);
  }
}
