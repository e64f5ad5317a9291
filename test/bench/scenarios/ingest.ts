import { freePort } from '../../helpers/free-port';
import { deleteKeys } from '../../helpers/redis';
import { type BenchContext, roundPrefix } from '../lib/context';
import { INGEST_EVENT } from '../lib/hub';
import { type NodeRedSetup, prepareNodeRed } from '../lib/node-red';
import { type Child, cpuOf, nodeFlags, runScript, start, startBaton, startScript } from '../lib/proc';
import { median } from '../lib/stats';

/** What one ingest target did in one round. */
interface Round {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU time per request of the server process, and of Redis, in µs. */
  serverCpuUs: number;
  redisCpuUs: number;
}

/** Medians over the rounds of one target. */
export interface IngestRow extends Round {
  target: string;
  rounds: Round[];
}

export interface IngestResult {
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
 * in turn, baselines first, for several rounds.
 */
export async function ingestScenario(ctx: BenchContext): Promise<IngestResult> {
  const durationS = ctx.quick ? 2 : 5;
  // Each Baton target right after its baseline: a ratio compares two neighbouring measurements.
  const targets = [hono('bare'), baton('embedded'), hono('xadd'), baton('redis')];
  const red = prepareNodeRed(ctx.log);
  if (red) targets.push(nodeRed(red));
  const results = new Map<string, Round[]>(targets.map((t) => [t.name, []]));
  for (let round = 1; round <= ctx.rounds; round++) {
    for (const target of targets) {
      const { url, server, cleanUp } = await target.start(ctx);
      try {
        const redisPid = ctx.redis.pid;
        const before = { server: cpuOf(server.pid), redis: redisPid ? cpuOf(redisPid) : 0 };
        const load = await runScript<Omit<Round, 'serverCpuUs' | 'redisCpuUs'> & { answered: number }>(
          'children/ingest-load.ts',
          [
            JSON.stringify({
              url,
              connections: CONNECTIONS,
              durationS,
              warmupS: 1,
              eventType: INGEST_EVENT,
              bodyBytes: BODY_BYTES,
            }),
          ],
        );
        const result: Round = {
          rps: load.rps,
          p50: load.p50,
          p99: load.p99,
          errors: load.errors,
          serverCpuUs: (cpuOf(server.pid) - before.server) / load.answered,
          redisCpuUs: redisPid ? (cpuOf(redisPid) - before.redis) / load.answered : Number.NaN,
        };
        results.get(target.name)!.push(result);
        ctx.log(
          `ingest round ${round} ${target.name}: ${Math.round(result.rps)} req/s p99 ${result.p99} ms, ${result.errors} errors, server ${Math.round(result.serverCpuUs)} µs/req, Redis ${Math.round(result.redisCpuUs)} µs/req`,
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
    };
  });
  return {
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
