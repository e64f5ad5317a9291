/**
 * Step throughput on the embedded backend, in a process of its own: the
 * bench hub's five-step flow of no-op actions, `runs` runs dispatched at
 * once (many in flight), the engine's worker at `concurrency`. The no-op
 * action costs next to nothing, so the time per step is the engine's own
 * work: dispatch, queueing, records, the action call and its validation.
 * Prints one JSON line.
 *
 * argv[2]: JSON { config, runs, warmupRuns, concurrency, compare? }. With
 * `compare: [eventA, eventB]` (two chains of the hub), each chain gets
 * `runs` runs in ten slices, taking turns, so both see the same machine;
 * the line then also has `byEvent` with each one's figures.
 */
import { processIo, startTracing, stopTracing } from '@baton/cli';
import { type CloudEvent, createEmbeddedBackend, createHubEngine, loadHub } from '@baton/runtime';
import { CHAIN_EVENT, CHAIN_STEPS } from '../lib/hub';

interface Options {
  config: string;
  runs: number;
  warmupRuns: number;
  concurrency: number;
  compare?: [string, string];
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
// `pnpm bench --tracing`: traced as `baton run` is (only when the OTEL_* variables ask for it).
await startTracing(processIo(), 'baton-bench', (line) => process.stderr.write(`${line}\n`));
const hub = await loadHub({ configPath: options.config });
const backend = createEmbeddedBackend();
const engine = createHubEngine(hub, backend);
engine.startWorker({ concurrency: options.concurrency });

let ended = 0;
let failed = 0;
let target = 0;
let finish: (() => void) | undefined;
engine.on((event) => {
  if (event.type !== 'run.ended') return;
  ended += 1;
  if (event.status !== 'succeeded') failed += 1;
  if (ended === target) finish?.();
});

let seq = 0;
async function batch(runs: number, type = CHAIN_EVENT): Promise<number> {
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  target = ended + runs;
  const started = performance.now();
  for (let i = 0; i < runs; i++) {
    const event: CloudEvent = {
      specversion: '1.0',
      id: `evt-${++seq}`,
      source: 'shop',
      type,
      time: new Date().toISOString(),
      data: { n: seq },
    };
    await engine.dispatch(event);
  }
  await done;
  return performance.now() - started;
}

interface Figures {
  stepsPerS: number;
  usPerStep: number;
  cpuUsPerStep: number;
}

/** Runs `runs` runs of `type`, and what they took. */
async function measure(runs: number, type?: string): Promise<Figures & { wallMs: number; cpuUs: number }> {
  const cpuBefore = process.cpuUsage();
  const wallMs = await batch(runs, type);
  const cpu = process.cpuUsage(cpuBefore);
  const steps = runs * CHAIN_STEPS;
  return {
    wallMs,
    cpuUs: cpu.user + cpu.system,
    stepsPerS: steps / (wallMs / 1000),
    usPerStep: (wallMs * 1000) / steps,
    cpuUsPerStep: (cpu.user + cpu.system) / steps,
  };
}

const SLICES = 10;

/** Both chains in turns of runs / SLICES runs, summed per chain. */
async function compare(events: [string, string]): Promise<Record<string, Figures>> {
  for (const event of events) await batch(options.warmupRuns, event);
  const sums = new Map(events.map((event) => [event, { wallMs: 0, cpuUs: 0 }]));
  const slice = Math.ceil(options.runs / SLICES);
  for (let i = 0; i < SLICES; i++) {
    // Alternate which goes first within each pair of slices.
    for (const event of i % 2 === 0 ? events : [...events].reverse()) {
      const { wallMs, cpuUs } = await measure(slice, event);
      const sum = sums.get(event)!;
      sum.wallMs += wallMs;
      sum.cpuUs += cpuUs;
    }
  }
  const steps = slice * SLICES * CHAIN_STEPS;
  return Object.fromEntries(
    [...sums].map(([event, sum]) => [
      event,
      {
        stepsPerS: steps / (sum.wallMs / 1000),
        usPerStep: (sum.wallMs * 1000) / steps,
        cpuUsPerStep: sum.cpuUs / steps,
      },
    ]),
  );
}

if (options.compare) {
  const byEvent = await compare(options.compare);
  await engine.stop({ drainMs: 1000 });
  await stopTracing();
  console.log(JSON.stringify({ ...byEvent[options.compare[0]], byEvent, failed }));
} else {
  await batch(options.warmupRuns);
  const { stepsPerS, usPerStep, cpuUsPerStep } = await measure(options.runs);
  await engine.stop({ drainMs: 1000 });
  await stopTracing();
  console.log(JSON.stringify({ stepsPerS, usPerStep, cpuUsPerStep, failed }));
}
