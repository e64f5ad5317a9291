import { createGatewayLogger } from '@baton/gateway';
import {
  type Backend,
  createBackend,
  createHubEngine,
  createHubReloader,
  type Engine,
  type HubReloader,
  loadHub,
} from '@baton/runtime';
import type { Command } from 'commander';
import { backendOptionsFromEnv } from '../backend-env';
import { CliError } from '../cli-error';
import type { ExitWith } from '../command';
import { nodeConditions } from '../conditions';
import { type CliIo, say } from '../io';
import { parseWholeNumber } from '../options';
import { reloadAndReport } from '../reload-report';
import { configOption, requireConfig } from '../require-config';
import { runUntilSignal } from '../run-until-signal';

interface WorkerOptions {
  config: string;
  concurrency: string;
  drain: string;
}

/** What a started worker holds, to stop it. */
interface RunningWorker {
  engine: Engine;
  backend: Backend;
  log: ReturnType<typeof createGatewayLogger>;
  reloader: HubReloader;
}

/**
 * `baton worker [--config F] [--concurrency N] [--drain MS]`: a worker
 * only, sharing the hub's work through Redis with every other worker and
 * `baton serve`; it also keeps the flows' schedules registered. Logs JSON
 * lines (pino) to stderr. On SIGHUP it reloads the config's flows as
 * `POST /api/reload` does, and logs the outcome (a refused change leaves the
 * running flows). Runs until SIGTERM or SIGINT, then stops taking
 * steps, lets those in hand finish within the drain time, hands back the
 * rest to other workers, and exits 0.
 */
export function registerWorker(program: Command, io: CliIo, exitWith: ExitWith): void {
  program
    .command('worker')
    .description('Run a worker that takes flow steps from Redis (needs REDIS_URL)')
    .addOption(configOption())
    .option('--concurrency <n>', 'steps run at once by this process', '16')
    .option('--drain <ms>', 'how long in-flight steps get to finish on shutdown', '10000')
    .action(
      exitWith((opts: WorkerOptions) => {
        if (!io.env.REDIS_URL) {
          throw new CliError(
            'REDIS_URL_MISSING',
            'baton worker shares work through Redis: set REDIS_URL (such as redis://127.0.0.1:6379)',
          );
        }
        const configPath = requireConfig(io, opts.config);
        const concurrency = parseWholeNumber(opts.concurrency, '--concurrency', { min: 1 });
        const drainMs = parseWholeNumber(opts.drain, '--drain');
        return runUntilSignal(io, {
          start: () => startWorker(io, configPath, concurrency),
          async stop({ engine, backend, log }, signal) {
            log.info({ signal, drainMs }, 'draining');
            try {
              await engine.stop({ drainMs });
            } finally {
              // Closed even when the drain failed, so the Redis connections do not hold the process.
              await backend.close();
            }
            log.info('worker stopped');
            say(io, 'stopped');
          },
          reload: ({ reloader, log }) => reloadAndReport(io, 'SIGHUP', () => reloader.reload(), log),
        });
      }),
    );
}

/** Loads the hub, connects to Redis, and starts taking steps and keeping the schedules. */
async function startWorker(io: CliIo, configPath: string, concurrency: number): Promise<RunningWorker> {
  const hub = await loadHub({ configPath, env: io.env, conditions: nodeConditions() });
  const log = createGatewayLogger({
    secrets: hub.secrets,
    destination: { write: (line: string) => void io.stderr.write(line) },
  }).child({ role: 'worker' });
  const backend = await createBackend({ ...backendOptionsFromEnv(io.env, hub), log });
  const engine = createHubEngine(hub, backend, { log });
  try {
    engine.startWorker({ concurrency });
    await engine.startSchedules();
  } catch (error) {
    await engine.stop({ drainMs: 0 });
    await backend.close();
    throw error;
  }
  log.info({ concurrency, flows: hub.flows.map((f) => f.id), pid: process.pid }, 'worker started');
  say(
    io,
    `Baton worker started (pid ${process.pid}, ${concurrency} steps at once, ${hub.flows.length} flows)`,
  );
  return { engine, backend, log, reloader: createHubReloader(hub, engine) };
}
