import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { createGatewayLogger, startGateway } from '@baton/gateway';
import { createBackend, isScheduleTrigger, loadHub } from '@baton/runtime';
import type { Command } from 'commander';
import { backendOptionsFromEnv } from '../backend-env';
import { CliError } from '../cli-error';
import { nodeConditions } from '../conditions';
import { type CliIo, say, warn } from '../io';
import { waitForShutdown } from '../shutdown';

interface ServeOptions {
  config: string;
  port: string;
  host: string;
  concurrency: string;
  drain: string;
  worker: boolean;
}

/**
 * `baton serve [--config F] [--port N] [--host H] [--no-worker]`: the
 * gateway and a worker in one process, on the embedded backend or on Redis
 * when REDIS_URL is set; with `--no-worker` (Redis only) the gateway alone,
 * for a fleet where `baton worker` processes run the steps. Runs until SIGTERM or SIGINT, then stops taking webhooks and drains.
 */
export function registerServe(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('serve')
    .description('Run the webhook gateway, the admin API and a worker')
    .option('--config <file>', 'the hub configuration', 'baton.config.json')
    .option('--port <n>', 'port to listen on', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--concurrency <n>', 'steps run at once by this process', '16')
    .option('--drain <ms>', 'how long in-flight steps get to finish on shutdown', '10000')
    .option('--no-worker', 'gateway only: baton worker processes run the steps (needs REDIS_URL)')
    .action(async (opts: ServeOptions) => {
      const configPath = resolve(io.cwd, opts.config);
      if (!existsSync(configPath)) {
        throw new CliError(
          'CONFIG_NOT_FOUND',
          `${relative(io.cwd, configPath)} does not exist; pass --config <file>`,
        );
      }
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new CliError('PORT_INVALID', `--port ${opts.port} is not a port`);
      if (!opts.worker && !io.env.REDIS_URL) {
        throw new CliError(
          'REDIS_URL_MISSING',
          '--no-worker leaves the steps to baton worker processes, which share work through Redis: set REDIS_URL',
        );
      }
      const hub = await loadHub({ configPath, env: io.env, conditions: nodeConditions() });
      const log = createGatewayLogger({ secrets: hub.secrets });
      const backend = await createBackend({ ...backendOptionsFromEnv(io.env, hub), log });
      let gateway: Awaited<ReturnType<typeof startGateway>>;
      try {
        gateway = await startGateway({
          hub,
          backend,
          port,
          host: opts.host,
          concurrency: Number(opts.concurrency),
          worker: opts.worker,
          log,
          ...(io.env.BATON_API_TOKEN ? { apiToken: io.env.BATON_API_TOKEN } : {}),
        });
      } catch (error) {
        await backend.close();
        const code = (error as { code?: string }).code;
        if (code === 'SERVE_TOKEN_REQUIRED') throw new CliError(code, (error as Error).message);
        if (code === 'EADDRINUSE')
          throw new CliError('PORT_IN_USE', `${opts.host}:${port} is already in use; pick another --port`);
        throw error;
      }
      say(io, `Baton listening on ${gateway.url}`);
      say(io, `  backend: ${backend.name}${backend.durable ? '' : ' (in memory)'}`);
      for (const source of hub.sources.values())
        say(
          io,
          `  source ${source.name}: ${source.config.verify.scheme} -> POST ${gateway.url}/webhooks/${source.name}`,
        );
      for (const flow of hub.flows) {
        const trigger = flow.flow.trigger;
        const how = !trigger
          ? 'manual'
          : isScheduleTrigger(trigger)
            ? `schedule "${trigger.schedule}" ${trigger.timezone ?? 'UTC'}`
            : `${trigger.source} ${trigger.event}`;
        say(io, `  flow ${flow.id}: ${how}`);
      }
      say(io, `  admin API: ${gateway.url}/api${io.env.BATON_API_TOKEN ? ' (bearer token required)' : ''}`);
      if (!backend.durable) {
        warn(
          io,
          'warning: the embedded backend keeps runs and queued work in memory: a crash or restart loses them. Set REDIS_URL for durable, shared state.',
        );
      }
      const signal = await waitForShutdown();
      say(io, `${signal}: draining (up to ${opts.drain}ms)…`);
      await gateway.close({ drainMs: Number(opts.drain) });
      say(io, 'stopped');
      done(0);
    });
}
