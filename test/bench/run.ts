/**
 * `pnpm bench`: builds what it needs, finds or starts Redis, runs each
 * scenario (baselines and Baton back to back, several rounds), prints a
 * table and writes docs/benchmarks.md and docs/benchmarks.json.
 *
 * Options: `--quick` (short runs, for trying the bench; writes nothing),
 * `--rounds N` (default 5), `--only ingest,steps,latency,memory,waits,budgets,scale,partitions`,
 * `--tracing` (Baton's processes export their spans over OTLP/HTTP to a
 * receiver the bench runs on loopback: what tracing costs; writes nothing),
 * `--render` (rewrite docs/benchmarks.md from docs/benchmarks.json and
 * notes.md, after editing the notes, without measuring again).
 * Environment: REDIS_URL (default redis://127.0.0.1:6379), BENCH_CPU_PROF=<dir>
 * (a CPU profile per child process, see profile-summary.ts), BENCH_SOURCE=1
 * (run our packages from their sources, without a build), BENCH_NO_WRK=1
 * (the ingest load from the Node generator instead of wrk; no scale scenario),
 * BENCH_WRK_THREADS=N (threads per wrk process, default 1).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startOtlpReceiver } from '../helpers/otlp-receiver';
import type { BenchContext } from './lib/context';
import { writeBenchHub } from './lib/hub';
import { killAll, repoRoot } from './lib/proc';
import { benchRedis, redisServerVersion } from './lib/redis';
import { type BenchResults, machineFacts, printTable, writeReports } from './report';
import { budgetsScenario } from './scenarios/budgets';
import { ingestScenario } from './scenarios/ingest';
import { latencyScenario } from './scenarios/latency';
import { memoryScenario } from './scenarios/memory';
import { partitionsScenario } from './scenarios/partitions';
import { scaleScenario } from './scenarios/scale';
import { stepsScenario } from './scenarios/steps';
import { waitsScenario } from './scenarios/waits';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const roundsArg = args.indexOf('--rounds');
const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : quick ? 1 : 5;
const onlyArg = args.indexOf('--only');
const scenarios = ['ingest', 'steps', 'latency', 'memory', 'waits', 'budgets', 'scale', 'partitions'];
const only = new Set(onlyArg >= 0 ? (args[onlyArg + 1] ?? '').split(',') : scenarios);
const tracing = args.includes('--tracing');
const log = (message: string) => process.stderr.write(`${message}\n`);

if (args.includes('--render')) {
  const saved = JSON.parse(readFileSync(join(repoRoot, 'docs/benchmarks.json'), 'utf8')) as BenchResults;
  writeReports(saved);
  log('docs/benchmarks.md rewritten from docs/benchmarks.json');
  process.exit(0);
}

process.on('SIGINT', () => {
  killAll();
  process.exit(130);
});

if (process.env.BENCH_SOURCE !== '1') {
  log('building the packages (turbo, cached when nothing changed)…');
  execFileSync('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
}
// Every Baton process the scenarios start inherits these variables, and so exports its spans.
const receiver = tracing ? await startOtlpReceiver({ decode: false }) : undefined;
if (receiver) {
  Object.assign(process.env, {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
  });
  log(`tracing on: spans go to the OTLP/HTTP receiver at ${receiver.url}`);
}
const redis = await benchRedis();
log(`Redis: ${redis.url}${redis.own ? ' (started by the bench)' : ''}, ${redis.version}`);
const hub = writeBenchHub();
const ctx: BenchContext = { redis, hub, rounds, quick, log };
const started = Date.now();
try {
  const results: BenchResults = {
    date: new Date().toISOString(),
    rounds,
    quick,
    machine: machineFacts(redisServerVersion(redis.version)),
  };
  if (only.has('ingest')) results.ingest = await ingestScenario(ctx);
  if (only.has('steps')) results.steps = await stepsScenario(ctx);
  if (only.has('latency')) results.latency = await latencyScenario(ctx);
  if (only.has('memory')) results.memory = await memoryScenario(ctx);
  if (only.has('waits')) results.waits = await waitsScenario(ctx);
  if (only.has('budgets')) results.budgets = await budgetsScenario(ctx);
  if (only.has('scale')) {
    const scale = await scaleScenario(ctx);
    if (scale) results.scale = scale;
  }
  if (only.has('partitions')) {
    const partitions = await partitionsScenario(ctx);
    if (partitions) results.partitions = partitions;
  }
  results.durationS = Math.round((Date.now() - started) / 1000);
  printTable(results);
  if (receiver) {
    log(`tracing on: ${receiver.exports()} OTLP exports (${receiver.bytes()} bytes) received`);
    log('tracing run: docs/benchmarks.md and .json left as they are');
  } else if (quick || scenarios.some((name) => !only.has(name)))
    log('quick or partial run: docs/benchmarks.md and .json left as they are');
  else writeReports(results);
} finally {
  killAll();
  hub.remove();
  await redis.close();
  await receiver?.close();
}
// BullMQ and ioredis clients made by the scenarios can keep timers and
// sockets alive after they are closed; the report is written, so leave.
process.exit(process.exitCode ?? 0);
