import { freePort } from '../../helpers/free-port';
import { deleteKeys } from '../../helpers/redis';
import { type BenchContext, roundPrefix } from '../lib/context';
import { INGEST_EVENT } from '../lib/hub';
import { type NodeRedSetup, prepareNodeRed } from '../lib/node-red';
import { type Child, cpuOf, nodeFlags, runScript, start, startBaton, startScript } from '../lib/proc';
import { median } from '../lib/stats';
import { ensureWrk, wrkLoad } from '../lib/wrk';

/** What one ingest target did in one round. */
interface Round {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU time per request of the server process, and of Redis, in µs. */
  serverCpuUs: number;
  redisCpuUs: number;
  /** The load generator's own CPU time per request, in µs (absent in results from before it was measured). */
  generatorCpuUs?: number;
}

/** Medians over the rounds of one target. */
export interface IngestRow extends Round {
  target: string;
  rounds: Round[];
}

export interface IngestResult {
  /**
   * What sent the load: wrk (C, signed entries precomputed, see wrk.ts) or,
   * when wrk is not there, the Node generator (autocannon, signing each
   * request, about a core of its own). Absent in results from before wrk.
   */
  generator?: 'wrk' | 'autocannon';
  /** The load generator's CPU time per request, in µs: the median over every measured run. */
  generatorCpuUs?: number;
  connections: number;
  durationS: number;
  bodyBytes: number;
  rows: IngestRow[];
  /** Baton on Redis / Hono + XADD, and Baton embedded / bare Hono; with Node-RED, it / bare Hono and Baton on Redis / it. */
  ratios: {
    redisVsXadd: number;
    embeddedVsHono: number;
    redisP99: number;
    nodeRedVsHono?: number;
    redisVsNodeRed?: number;
  };
}

const CONNECTIONS = 50;
const BODY_BYTES = 1024;

interface Target {
  name: string;
  /** Starts the server; resolves with its webhook URL and a clean-up. */
  start(ctx: BenchContext): Promise<{ url: string; server: Child; cleanUp?: () => Promise<void> }>;
}

const hono = (mode: 'bare' | 'xadd'): Target => ({
  name: mode === 'bare' ? 'Hono (parse, 202)' : 'Hono + XADD',
  async start(ctx) {
    const prefix = roundPrefix('xadd');
    const server = startScript('children/hono-server.ts', [mode, ctx.redis.url, `${prefix}:stream`]);
    const [, port] = await server.waitFor(/listening (\d+)/);
    return {
      url: `http://127.0.0.1:${port}/webhooks/shop`,
      server,
      cleanUp: () => deleteKeys(prefix, ctx.redis.url),
    };
  },
});

const baton = (backend: 'embedded' | 'redis'): Target => ({
  name: backend === 'embedded' ? 'baton serve (embedded)' : 'baton serve --no-worker (Redis)',
  async start(ctx) {
    const prefix = roundPrefix('ingest');
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, BATON_LOG_LEVEL: 'warn' };
    if (backend === 'redis') Object.assign(env, { REDIS_URL: ctx.redis.url, BATON_REDIS_PREFIX: prefix });
    else delete env.REDIS_URL;
    // On Redis the gateway alone: steps run in worker processes, which would share this machine's two cores.
    const args = ['serve', '--port', String(port), '--config', ctx.hub.config];
    if (backend === 'redis') args.push('--no-worker');
    const server = startBaton(args, { cwd: ctx.hub.path, env });
    await server.waitFor(/Baton listening on/);
    return {
      url: `http://127.0.0.1:${port}/webhooks/shop`,
      server,
      ...(backend === 'redis' ? { cleanUp: () => deleteKeys(prefix, ctx.redis.url) } : {}),
    };
  },
});

/** Node-RED answering 202 from a flow (see node-red.ts): to place Baton among tools users know. */
const nodeRed = (setup: NodeRedSetup): Target => ({
  name: 'Node-RED (http in → function → http response)',
  async start() {
    const port = await freePort();
    const server = start(process.execPath, [
      ...nodeFlags(),
      setup.entry,
      '--port',
      String(port),
      '--settings',
      setup.settings,
      '--userDir',
      setup.userDir,
      setup.flows,
    ]);
    await server.waitFor(/Started flows/);
    return { url: `http://127.0.0.1:${port}/webhooks/shop`, server };
  },
});

/**
 * Signed webhooks at 50 connections for a fixed time against each target
 * in turn, baselines first, for several rounds: a 1 s warm-up, then the
 * measured run. The CPU time per request of the server and of Redis is
 * read around the measured run (with the Node generator, around both).
 */
export async function ingestScenario(ctx: BenchContext): Promise<IngestResult> {
  const durationS = ctx.quick ? 2 : 5;
  const generator = ensureWrk(ctx.log) ? 'wrk' : 'autocannon';
  ctx.log(`ingest load: ${generator === 'wrk' ? 'wrk' : 'the Node generator (autocannon), wrk missing'}`);
  // Each Baton target right after its baseline: a ratio compares two neighbouring measurements.
  const targets = [hono('bare'), baton('embedded'), hono('xadd'), baton('redis')];
  const red = prepareNodeRed(ctx.log);
  if (red) targets.push(nodeRed(red));
  const results = new Map<string, Round[]>(targets.map((t) => [t.name, []]));
  for (let round = 1; round <= ctx.rounds; round++) {
    for (const target of targets) {
      const { url, server, cleanUp } = await target.start(ctx);
      try {
        const drive = generator === 'wrk' ? driveWrk : driveNode;
        const result = await drive(ctx, url, server.pid, durationS);
        results.get(target.name)!.push(result);
        ctx.log(
          `ingest round ${round} ${target.name}: ${Math.round(result.rps)} req/s p99 ${result.p99} ms, ${result.errors} errors, server ${Math.round(result.serverCpuUs)} µs/req, Redis ${Math.round(result.redisCpuUs)} µs/req` +
            (result.generatorCpuUs === undefined
              ? ''
              : `, load generator ${result.generatorCpuUs.toFixed(1)} µs/req`),
        );
      } finally {
        await server.stop();
        await cleanUp?.();
      }
    }
  }
  const rows: IngestRow[] = targets.map((t) => {
    const rounds = results.get(t.name)!;
    return {
      target: t.name,
      rounds,
      rps: median(rounds.map((r) => r.rps)),
      p50: median(rounds.map((r) => r.p50)),
      p99: median(rounds.map((r) => r.p99)),
      errors: rounds.reduce((sum, r) => sum + r.errors, 0),
      serverCpuUs: median(rounds.map((r) => r.serverCpuUs)),
      redisCpuUs: median(rounds.map((r) => r.redisCpuUs)),
      generatorCpuUs: median(rounds.map((r) => r.generatorCpuUs ?? Number.NaN)),
    };
  });
  const generatorCpu = [...results.values()].flat().flatMap((r) => r.generatorCpuUs ?? []);
  return {
    generator,
    generatorCpuUs: median(generatorCpu),
    connections: CONNECTIONS,
    durationS,
    bodyBytes: BODY_BYTES,
    rows,
    ratios: {
      redisVsXadd: ratioOfMedians(results, targets[3]!.name, targets[2]!.name),
      embeddedVsHono: ratioOfMedians(results, targets[1]!.name, targets[0]!.name),
      redisP99: rows[3]!.p99,
      ...(targets[4]
        ? {
            nodeRedVsHono: ratioOfMedians(results, targets[4].name, targets[0]!.name),
            redisVsNodeRed: ratioOfMedians(results, targets[3]!.name, targets[4].name),
          }
        : {}),
    },
  };
}

/** The median over rounds of Baton's rate divided by the baseline's in the same round. */
function ratioOfMedians(results: Map<string, Round[]>, ours: string, baseline: string): number {
  const a = results.get(ours)!;
  const b = results.get(baseline)!;
  return median(a.map((r, i) => r.rps / b[i]!.rps));
}

/** CPU time of `server` and of Redis from now on, per request, once `requests` were answered. */
function cpuPerRequest(ctx: BenchContext, server: number) {
  const redis = ctx.redis.pid;
  const before = { server: cpuOf(server), redis: redis ? cpuOf(redis) : 0 };
  return (requests: number) => ({
    serverCpuUs: (cpuOf(server) - before.server) / requests,
    redisCpuUs: redis ? (cpuOf(redis) - before.redis) / requests : Number.NaN,
  });
}

/** wrk with precomputed signed entries: a warm-up, then the measured run, whose CPU is read. */
async function driveWrk(ctx: BenchContext, url: string, server: number, durationS: number): Promise<Round> {
  let cpu = cpuPerRequest(ctx, server);
  const [run] = await wrkLoad({
    urls: [url],
    connections: CONNECTIONS,
    warmupS: 1,
    durationS,
    eventType: INGEST_EVENT,
    bodyBytes: BODY_BYTES,
    measuring: () => {
      cpu = cpuPerRequest(ctx, server);
    },
  });
  if (!run) throw new Error(`wrk measured nothing at ${url}`);
  return {
    rps: run.rps,
    p50: run.p50,
    p99: run.p99,
    errors: run.socketErrors + run.non2xx,
    ...cpu(run.requests),
    generatorCpuUs: run.cpuUsPerRequest,
  };
}

/** The Node generator (children/ingest-load.ts), signing each request: warm-up and run in one process. */
async function driveNode(ctx: BenchContext, url: string, server: number, durationS: number): Promise<Round> {
  const cpu = cpuPerRequest(ctx, server);
  const load = await runScript<
    Omit<Round, 'serverCpuUs' | 'redisCpuUs'> & { answered: number; cpuUsPerRequest: number }
  >('children/ingest-load.ts', [
    JSON.stringify({
      url,
      connections: CONNECTIONS,
      durationS,
      warmupS: 1,
      eventType: INGEST_EVENT,
      bodyBytes: BODY_BYTES,
    }),
  ]);
  return {
    rps: load.rps,
    p50: load.p50,
    p99: load.p99,
    errors: load.errors,
    ...cpu(load.answered),
    generatorCpuUs: load.cpuUsPerRequest,
  };
}
