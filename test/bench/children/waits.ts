/**
 * Steps that wait, on Redis, in a process of its own with its worker:
 * for each population P of waiting runs (10, then 100 000 more), the
 * resume latency of probe runs (their matching event dispatched → their
 * waiting step ended), Redis memory per waiting run (INFO used_memory
 * before/after), and this process's heap and RSS after a full GC (the
 * waits must cost the process nothing). Prints one JSON line.
 *
 * `mode: "populate"` adds waiting runs up to `population` and measures Redis
 * memory; `mode: "probe"` is a fresh process (it did not populate, so its
 * memory holds nothing of that burst) that serves the probes with its own
 * worker while the others wait, and measures its own heap and RSS.
 *
 * argv[2]: JSON { mode, config, url, prefix, population, from, probes, concurrency }
 */
import { type CloudEvent, createHubEngine, createRedisBackend, loadHub } from '@baton/runtime';
import { Redis } from 'ioredis';
import { WAIT_DONE_EVENT, WAIT_START_EVENT } from '../lib/hub';

interface Options {
  mode: 'populate' | 'probe';
  config: string;
  url: string;
  prefix: string;
  /** populate: how many runs wait once done; probe: how many are waiting (for the report). */
  population: number;
  /** populate: how many were waiting before. */
  from: number;
  probes: number;
  concurrency: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
const hub = await loadHub({ configPath: options.config });
const backend = await createRedisBackend({ url: options.url, prefix: options.prefix });
const engine = createHubEngine(hub, backend);
engine.startWorker({ concurrency: options.concurrency });
const redis = new Redis(options.url);

let seq = 0;
const event = (type: string, data: unknown): CloudEvent => ({
  specversion: '1.0',
  id: `bench-wait-${process.pid}-${++seq}`,
  source: 'shop',
  type,
  time: new Date().toISOString(),
  data,
});

// The moment each probe's waiting step ended, by run id, as this process's worker ends it.
const ended = new Map<string, (at: number) => void>();
const waitingNow = new Map<string, () => void>();
engine.on((e) => {
  if (e.type === 'step.ended' && e.step === 'w') ended.get(e.runId)?.(performance.now());
  if (e.type === 'step.waiting' && e.step === 'w') waitingNow.get(e.runId)?.();
});

async function usedMemory(): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

function processMemory() {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { heapMiB: m.heapUsed / 2 ** 20, rssMiB: m.rss / 2 ** 20 };
}

/** Adds `count` waiting runs (keys never sent), and resolves once they all wait. */
async function populate(count: number, from: number): Promise<void> {
  const target = (await backend.runs.counts()).waiting + count;
  for (let i = 0; i < count; i += 500) {
    const batch = Array.from({ length: Math.min(500, count - i) }, (_, j) =>
      engine.dispatch(event(WAIT_START_EVENT, { k: `idle-${from + i + j}` })),
    );
    await Promise.all(batch);
  }
  while ((await backend.runs.counts()).waiting < target) await new Promise((r) => setTimeout(r, 200));
}

/** One probe: a run that starts waiting, then its event; the ms from the event's dispatch to the step's end. */
async function probe(n: number): Promise<number> {
  const key = `probe-${n}-${process.pid}`;
  const { runs } = await engine.dispatch(event(WAIT_START_EVENT, { k: key }));
  const runId = runs[0]!.runId;
  await new Promise<void>((resolve) => {
    waitingNow.set(runId, resolve);
    // It may have started waiting before the listener was set.
    void engine.getRun(runId).then((run) => {
      if (run?.steps[0]?.status === 'waiting') resolve();
    });
  });
  waitingNow.delete(runId);
  const done = new Promise<number>((resolve) => ended.set(runId, resolve));
  const sentAt = performance.now();
  await engine.dispatch(event(WAIT_DONE_EVENT, { k: key }));
  const at = await done;
  ended.delete(runId);
  return at - sentAt;
}

let result: Record<string, number>;
if (options.mode === 'populate') {
  const memoryBefore = await usedMemory();
  await populate(options.population - options.from, options.from);
  const added = options.population - options.from;
  result = { redisBytesPerWait: added > 0 ? ((await usedMemory()) - memoryBefore) / added : 0 };
} else {
  const latencies: number[] = [];
  for (let n = 0; n < options.probes; n++) latencies.push(await probe(n + options.population));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  result = { p50: at(0.5), p99: at(0.99), ...processMemory() };
}

await engine.stop({ drainMs: 1000 });
await backend.close();
redis.disconnect();
console.log(JSON.stringify(result));
process.exit(0);
