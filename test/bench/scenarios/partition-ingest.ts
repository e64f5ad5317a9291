import { randomUUID } from 'node:crypto';
import { type CloudEvent, createRedisBackend, type RedisBackend } from '@baton/runtime';
import { Partitions } from '../../../packages/runtime/src/backend/redis/partitions';
import { newRun } from '../../../packages/runtime/src/model/new-run';
import { flushMasters, type Master, masterCounters } from '../lib/cluster';
import type { BenchContext } from '../lib/context';
import { median } from '../lib/stats';

/** What an event carries, as far as partitions go. */
export type IngestKind = 'plain' | 'ordered-home' | 'ordered-elsewhere' | 'wait-elsewhere';

/** The cost of ingesting one kind of event, medians over the rounds. */
export interface PartitionIngestRow {
  partitions: number;
  kind: IngestKind;
  /** Events recorded per second by one process, `IN_FLIGHT` at a time. */
  eventsPerS: number;
  /** The recording process's CPU per event (the backend's client work, no HTTP), in µs. */
  processCpuUsPerEvent: number;
  /** Every master's CPU together per event, in µs. */
  redisCpuUsPerEvent: number;
  /** Commands every master ran together per event. */
  redisCommandsPerEvent: number;
}

const PREFIX = '{bench-ingest}';
/** Events in flight at once: enough for ingest's batching to work, as under a gateway's load. */
const IN_FLIGHT = 32;
/** Events recorded unmeasured first, per case: each case opens a backend of its own. */
const WARM_UP = 1000;
const FLOW = { id: 'parts', steps: [{ id: 's0', phase: 'main' as const }] };

/**
 * What ingest costs when part of an event lives in another partition than
 * the event (report only): on the scenario's Cluster, one process records
 * events straight through the Redis backend (no HTTP, so only the backend's
 * work differs), each kind in turn — an event starting one run (its home
 * partition holds it all), an ordered run whose line is in the home
 * partition, an ordered run whose line is in another, and an event whose
 * one wait key is in another — with three partitions spread over the
 * masters, and the first two with one partition.
 */
export async function partitionIngestScenario(
  ctx: BenchContext,
  nodes: readonly string[],
  masters: readonly Master[],
): Promise<PartitionIngestRow[]> {
  const events = ctx.quick ? 2000 : 5000;
  const cases: Array<{ partitions: number; kind: IngestKind }> = [
    { partitions: 1, kind: 'plain' },
    { partitions: 1, kind: 'ordered-home' },
    { partitions: 3, kind: 'plain' },
    { partitions: 3, kind: 'ordered-home' },
    { partitions: 3, kind: 'ordered-elsewhere' },
    { partitions: 3, kind: 'wait-elsewhere' },
  ];
  const rounds = new Map<(typeof cases)[number], PartitionIngestRow[]>();
  for (let round = 1; round <= ctx.rounds; round++) {
    for (const c of round % 2 === 1 ? cases : [...cases].reverse()) {
      await flushMasters(masters);
      const row = await measure(nodes, masters, c.partitions, c.kind, events);
      rounds.set(c, [...(rounds.get(c) ?? []), row]);
      ctx.log(
        `partition ingest round ${round}, ${c.partitions} partition(s), ${c.kind}: ${Math.round(row.eventsPerS)} events/s, ` +
          `process ${Math.round(row.processCpuUsPerEvent)} µs/event, Redis ${Math.round(row.redisCpuUsPerEvent)} µs/event, ${row.redisCommandsPerEvent.toFixed(1)} commands/event`,
      );
    }
  }
  return cases.map((c) => {
    const rows = rounds.get(c)!;
    const med = (pick: (r: PartitionIngestRow) => number) => median(rows.map(pick));
    return {
      ...c,
      eventsPerS: med((r) => r.eventsPerS),
      processCpuUsPerEvent: med((r) => r.processCpuUsPerEvent),
      redisCpuUsPerEvent: med((r) => r.redisCpuUsPerEvent),
      redisCommandsPerEvent: med((r) => r.redisCommandsPerEvent),
    };
  });
}

async function measure(
  nodes: readonly string[],
  masters: readonly Master[],
  partitions: number,
  kind: IngestKind,
  count: number,
): Promise<PartitionIngestRow> {
  const backend = await createRedisBackend({ cluster: { nodes: [...nodes] }, prefix: PREFIX, partitions });
  try {
    const made = Array.from({ length: count + WARM_UP }, () => eventOf(kind, partitions));
    // The first ones warm the connections and the code up, unmeasured.
    await record(backend, made.slice(0, WARM_UP));
    const before = await Promise.all(masters.map(masterCounters));
    const cpu = process.cpuUsage();
    const started = performance.now();
    await record(backend, made.slice(WARM_UP));
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const after = await Promise.all(masters.map(masterCounters));
    const total = (pick: (c: (typeof after)[number]) => number) =>
      after.reduce((sum, c, i) => sum + pick(c) - pick(before[i]!), 0);
    return {
      partitions,
      kind,
      eventsPerS: count / seconds,
      processCpuUsPerEvent: (used.user + used.system) / count,
      redisCpuUsPerEvent: total((c) => c.cpuUs) / count,
      redisCommandsPerEvent: total((c) => c.commands) / count,
    };
  } finally {
    await backend.close();
  }
}

/** Records `made` events, `IN_FLIGHT` at a time. */
async function record(backend: RedisBackend, made: ReadonlyArray<Made>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < made.length) {
      const { event, orderKey, waitKey } = made[next++]!;
      // An event that ends a wait starts no run here: only the wait's part is measured.
      const runs = waitKey ? [] : [newRun(FLOW, event, 'webhook', Date.now(), [], orderKey)];
      backend.placeRuns?.(runs, { source: event.source, eventId: event.id });
      await backend.events.ingest(event, runs, {
        dedupWindowMs: 60_000,
        ...(waitKey ? { waits: { keys: [{ key: waitKey, lookbackMs: 0 }] } } : {}),
      });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
}

interface Made {
  event: CloudEvent;
  orderKey?: string;
  waitKey?: string;
}

/** An event of `kind`, its order key or wait key chosen so its part lands where the kind says. */
function eventOf(kind: IngestKind, partitions: number): Made {
  const event: CloudEvent = {
    specversion: '1.0',
    id: randomUUID(),
    source: 'shop',
    type: 'order.paid',
    time: new Date().toISOString(),
    data: { n: 1 },
  };
  if (kind === 'plain') return { event };
  const place = new Partitions(PREFIX, partitions);
  const home = place.ofEvent(event.source, event.id);
  for (let i = 0; ; i++) {
    const key = `k-${randomUUID().slice(0, 8)}-${i}`;
    const at =
      kind === 'wait-elsewhere' ? place.ofWait(event.source, event.type, key) : place.ofLine(FLOW.id, key);
    if (partitions === 1 || (kind === 'ordered-home') === (at === home))
      return kind === 'wait-elsewhere' ? { event, waitKey: key } : { event, orderKey: key };
  }
}
