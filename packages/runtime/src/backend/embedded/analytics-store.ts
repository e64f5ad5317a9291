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
  fields: Fields;
}

/**
 * A bucket's counters, each in a cell of its own: adding to one that exists
 * is one lookup (every run's end adds a dozen to two buckets), not a
 * lookup and a store.
 */
type Fields = Map<string, { n: number }>;

function add(fields: Fields, field: string, by: number): void {
  const cell = fields.get(field);
  if (cell) cell.n += by;
  else fields.set(field, { n: by });
}

function countOf(fields: Fields, field: string): number {
  return fields.get(field)?.n ?? 0;
}

/** A bucket's counters as the readers take them. */
function* counters(fields: Fields): Iterable<[string, number]> {
  for (const [field, cell] of fields) yield [field, cell.n];
}

const TIERS: readonly AnalyticsTierName[] = ['minute', 'hour'];
/** Adds one to an error code's counter, or to `(other)` once the bucket counts as many codes as it keeps. */
function addCode(fields: Fields, field: string): void {
  let target = field;
  if (!fields.has(field)) {
    const { other, distinct } = codeFieldsOf(field);
    if (countOf(fields, distinct) < MAX_CODES_PER_BUCKET) add(fields, distinct, 1);
    else target = other;
  }
  add(fields, target, 1);
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
        if (minute) add(minute, field, by);
        if (hour) add(hour, field, by);
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
      if (fields) add(fields, instance, 1);
    }
  }

  async read(flow: string, span: AnalyticsSpan): Promise<AnalyticsCounts> {
    const counts = emptyCounts();
    for (const fields of this.live(`f|${flow}`, span)) addFields(counts, counters(fields));
    return counts;
  }

  async breakerOpenings(span: AnalyticsSpan): Promise<Map<string, number>> {
    const openings = new Map<string, number>();
    for (const fields of this.live('b', span)) {
      for (const [instance, n] of counters(fields)) openings.set(instance, (openings.get(instance) ?? 0) + n);
    }
    return openings;
  }

  /** How many buckets are held (expired ones included until swept): for tests of the bound. */
  get size(): number {
    return this.buckets.size;
  }

  /** The fields of the bucket of `at`, made when missing; undefined when it has expired already. */
  private bucket(owner: string, tier: AnalyticsTierName, at: number): Fields | undefined {
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

  private *live(owner: string, span: AnalyticsSpan): Iterable<Fields> {
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
