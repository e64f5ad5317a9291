import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { createGatewayLogger } from '@baton/gateway';
import { createBackend, createHubEngine, loadHub } from '@baton/runtime';
import type { Command } from 'commander';
import { backendOptionsFromEnv } from '../backend-env';
import { CliError } from '../cli-error';
import { nodeConditions } from '../conditions';
import { type CliIo, say } from '../io';
import { waitForShutdown } from '../shutdown';

interface WorkerOptions {
  config: string;
  concurrency: string;
  drain: string;
}

/**
 * `baton worker [--config F] [--concurrency N] [--drain MS]`: a worker
 * only, sharing the hub's work through Redis with every other worker and
 * `baton serve`; it also keeps the flows' schedules registered. Logs JSON
 * lines (pino) to stderr. Runs until SIGTERM or SIGINT, then stops taking
 * steps, lets those in hand finish within the drain time, hands back the
 * rest to other workers, and exits 0.
 */
export function registerWorker(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('worker')
    .description('Run a worker that takes flow steps from Redis (needs REDIS_URL)')
    .option('--config <file>', 'the hub configuration', 'baton.config.json')
    .option('--concurrency <n>', 'steps run at once by this process', '16')
    .option('--drain <ms>', 'how long in-flight steps get to finish on shutdown', '10000')
    .action(async (opts: WorkerOptions) => {
      if (!io.env.REDIS_URL) {
        throw new CliError(
          'REDIS_URL_MISSING',
          'baton worker shares work through Redis: set REDIS_URL (such as redis://127.0.0.1:6379)',
        );
      }
      const configPath = resolve(io.cwd, opts.config);
      if (!existsSync(configPath)) {
        throw new CliError(
          'CONFIG_NOT_FOUND',
          `${relative(io.cwd, configPath)} does not exist; pass --config <file>`,
        );
      }
      const concurrency = positiveInteger(opts.concurrency, '--concurrency');
      const drainMs = positiveInteger(opts.drain, '--drain', 0);
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

      const signal = await waitForShutdown();
      log.info({ signal, drainMs }, 'draining');
      await engine.stop({ drainMs });
      await backend.close();
      log.info('worker stopped');
      say(io, 'stopped');
      // Anything a step handed back at the drain deadline left open is bin.ts's to cut.
      done(0);
    });
}

function positiveInteger(value: string, flag: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new CliError('OPTION_INVALID', `${flag} ${value} is not a whole number ≥ ${min}`);
  return n;
}
