/**
 * Step throughput on the embedded backend, in a process of its own: the
 * bench hub's five-step flow of no-op actions, `runs` runs dispatched at
 * once (many in flight), the engine's worker at `concurrency`. The no-op
 * action costs next to nothing, so the time per step is the engine's own
 * work: dispatch, queueing, records, the action call and its validation.
 * Prints one JSON line.
 *
 * argv[2]: JSON { config, runs, warmupRuns, concurrency, event? } (event: the
 * chain's trigger, CHAIN_EVENT by default)
 */
import { type CloudEvent, createEmbeddedBackend, createHubEngine, loadHub } from '@baton/runtime';
import { CHAIN_EVENT, CHAIN_STEPS } from '../lib/hub';

interface Options {
  config: string;
  runs: number;
  warmupRuns: number;
  concurrency: number;
  event?: string;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
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
async function batch(runs: number): Promise<number> {
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
      type: options.event ?? CHAIN_EVENT,
      time: new Date().toISOString(),
      data: { n: seq },
    };
    await engine.dispatch(event);
  }
  await done;
  return performance.now() - started;
}

await batch(options.warmupRuns);
const cpuBefore = process.cpuUsage();
const wallMs = await batch(options.runs);
const cpu = process.cpuUsage(cpuBefore);
const steps = options.runs * CHAIN_STEPS;
await engine.stop({ drainMs: 1000 });
console.log(
  JSON.stringify({
    stepsPerS: steps / (wallMs / 1000),
    usPerStep: (wallMs * 1000) / steps,
    cpuUsPerStep: (cpu.user + cpu.system) / steps,
    failed,
  }),
);
