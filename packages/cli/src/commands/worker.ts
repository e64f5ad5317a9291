import {
  createConnectorHealth,
  createGatewayLogger,
  DEFAULT_OPS_PORT,
  type RunningOpsServer,
  startOpsServer,
  type WorkerState,
} from '@baton/gateway';
import {
  type Backend,
  createBackend,
  createHubEngine,
  createHubReloader,
  type Engine,
  type Hub,
  type HubReloader,
  loadHub,
} from '@baton/runtime';
import type { Command } from 'commander';
import { backendOptionsFromEnv, usesRedis } from '../backend-env';
import { CliError } from '../cli-error';
import type { ExitWith } from '../command';
import { nodeConditions } from '../conditions';
import { type CliIo, say } from '../io';
import { parsePort, parseWholeNumber } from '../options';
import { reloadAndReport } from '../reload-report';
import { configOption, requireConfig } from '../require-config';
import { runUntilSignal } from '../run-until-signal';
import { startTracing, stopTracing } from '../tracing';

interface WorkerOptions {
  config: string;
  concurrency: string;
  drain: string;
  port: string;
  host: string;
}

/** The options once read and checked. */
interface WorkerSettings {
  configPath: string;
  concurrency: number;
  drainMs: number;
  port: number;
  host: string;
}

/** What a started worker holds, to stop it. */
interface RunningWorker {
  engine: Engine;
  backend: Backend;
  ops: RunningOpsServer;
  log: ReturnType<typeof createGatewayLogger>;
  reloader: HubReloader;
  setState(state: WorkerState): void;
}

/**
 * `baton worker [--config F] [--concurrency N] [--drain MS] [--port N] [--host H]`:
 * a worker only, sharing the hub's work through Redis with every other
 * worker and `baton serve`; it also keeps the flows' schedules registered,
 * and serves `/healthz`, `/readyz` and `/metrics` on `--port` (default
 * 9464), the metrics of the steps it runs. Logs JSON lines (pino) to
 * stderr. On SIGHUP it reloads the config's flows as `POST /api/reload`
 * does, and logs the outcome (a refused change leaves the running flows).
 * Runs until SIGTERM or SIGINT, then stops taking steps (`/readyz` answers
 * 503), lets those in hand finish within the drain time, hands back the
 * rest to other workers, and exits 0.
 */
export function registerWorker(program: Command, io: CliIo, exitWith: ExitWith): void {
  program
    .command('worker')
    .description('Run a worker that takes flow steps from Redis (needs REDIS_URL or REDIS_CLUSTER_NODES)')
    .addOption(configOption())
    .option('--concurrency <n>', 'steps run at once by this process', '16')
    .option('--drain <ms>', 'how long in-flight steps get to finish on shutdown', '10000')
    .option(
      '--port <port>',
      'port of /healthz, /readyz and /metrics (0: any free port, printed)',
      String(DEFAULT_OPS_PORT),
    )
    .option(
      '--host <host>',
      'address of /healthz, /readyz and /metrics (0.0.0.0 for a scraper elsewhere)',
      '127.0.0.1',
    )
    .action(
      exitWith((opts: WorkerOptions) => {
        const settings = readSettings(io, opts);
        return runUntilSignal(io, {
          start: () => startWorker(io, settings),
          async stop({ engine, backend, ops, log, setState }, signal) {
            const { drainMs } = settings;
            setState('draining');
            log.info({ signal, drainMs }, 'draining');
            try {
              await engine.stop({ drainMs });
            } finally {
              // Closed even when the drain failed, so the Redis connections do not hold the process.
              await backend.close();
              await ops.close();
              // The spans of the last tasks, sent before the process ends.
              await stopTracing();
            }
            log.info('worker stopped');
            say(io, 'stopped');
          },
          reload: ({ reloader, log }) => reloadAndReport(io, 'SIGHUP', () => reloader.reload(), log),
        });
      }),
    );
}

function readSettings(io: CliIo, opts: WorkerOptions): WorkerSettings {
  if (!usesRedis(io.env)) {
    throw new CliError(
      'REDIS_URL_MISSING',
      'baton worker shares work through Redis: set REDIS_URL (such as redis://127.0.0.1:6379), or REDIS_CLUSTER_NODES (seed nodes of a Redis Cluster, such as 10.0.0.5:6379,10.0.0.6:6379)',
    );
  }
  const configPath = requireConfig(io, opts.config);
  const concurrency = parseWholeNumber(opts.concurrency, '--concurrency', { min: 1 });
  const drainMs = parseWholeNumber(opts.drain, '--drain');
  // 0 picks a free port (printed at start): for tests, and several workers on one machine without a scraper.
  const port = parsePort(opts.port);
  return { configPath, concurrency, drainMs, port, host: opts.host };
}

/**
 * Loads the hub, connects to Redis, listens on the ops port (before taking
 * any step: a busy port stops the start), then takes steps and keeps the
 * schedules.
 */
async function startWorker(io: CliIo, settings: WorkerSettings): Promise<RunningWorker> {
  await startTracing(io, 'baton-worker');
  const hub = await loadHub({ configPath: settings.configPath, env: io.env, conditions: nodeConditions() });
  const log = createGatewayLogger({
    secrets: hub.secrets,
    destination: { write: (line: string) => void io.stderr.write(line) },
  }).child({ role: 'worker' });
  const backend = await createBackend({ ...backendOptionsFromEnv(io.env, hub), log });
  const engine = createHubEngine(hub, backend, { log });
  let state: WorkerState = 'starting';
  const ops = await listenOps(settings, { hub, engine, backend, log, state: () => state });
  try {
    engine.startWorker({ concurrency: settings.concurrency });
    await engine.startSchedules();
  } catch (error) {
    await engine.stop({ drainMs: 0 });
    await backend.close();
    await ops.close();
    throw error;
  }
  state = 'consuming';
  const { concurrency } = settings;
  log.info(
    { concurrency, flows: hub.flows.map((f) => f.id), pid: process.pid, ops: ops.url },
    'worker started',
  );
  say(
    io,
    `Baton worker started (pid ${process.pid}, ${concurrency} steps at once, ${hub.flows.length} flows)`,
  );
  say(io, `  health and metrics: ${ops.url}/healthz, /readyz, /metrics`);
  return {
    engine,
    backend,
    ops,
    log,
    reloader: createHubReloader(hub, engine),
    setState: (next) => {
      state = next;
    },
  };
}

/** Starts the ops server; a port it cannot have closes the backend and is PORT_IN_USE, not a stack. */
async function listenOps(
  settings: WorkerSettings,
  parts: {
    hub: Hub;
    engine: Engine;
    backend: Backend;
    log: ReturnType<typeof createGatewayLogger>;
    state: () => WorkerState;
  },
): Promise<RunningOpsServer> {
  try {
    return await startOpsServer({
      engine: parts.engine,
      backend: parts.backend,
      state: parts.state,
      health: createConnectorHealth({ instances: parts.hub.instances }),
      port: settings.port,
      host: settings.host,
      log: parts.log,
    });
  } catch (error) {
    await parts.engine.stop({ drainMs: 0 });
    await parts.backend.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CliError(
        'PORT_IN_USE',
        `${settings.host}:${settings.port} is already in use (another worker on this machine?); give each worker its own --port`,
      );
    }
    throw error;
  }
}
