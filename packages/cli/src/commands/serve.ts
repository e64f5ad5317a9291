import { createGatewayLogger, type RunningGateway, startGateway } from '@baton/gateway';
import { type Backend, createBackend, type Hub, isScheduleTrigger, loadHub } from '@baton/runtime';
import type { Command } from 'commander';
import { backendOptionsFromEnv, usesRedis } from '../backend-env';
import { CliError } from '../cli-error';
import type { ExitWith } from '../command';
import { nodeConditions } from '../conditions';
import { type CliIo, say, warn } from '../io';
import { parsePort, parseWholeNumber } from '../options';
import { reloadAndReport } from '../reload-report';
import { configOption, requireConfig } from '../require-config';
import { runUntilSignal } from '../run-until-signal';
import { startTracing, stopTracing } from '../tracing';
import { watchHub } from '../watch-hub';

interface ServeOptions {
  config: string;
  port: string;
  host: string;
  concurrency: string;
  drain: string;
  worker: boolean;
  watch?: boolean;
}

/** The options once read and checked. */
interface ServeSettings {
  configPath: string;
  port: number;
  host: string;
  concurrency: number;
  drainMs: number;
  worker: boolean;
  watch: boolean;
}

/**
 * `baton serve [--config F] [--port N] [--host H] [--no-worker] [--watch]`: the
 * gateway and a worker in one process, on the embedded backend or on Redis
 * when REDIS_URL is set; with `--no-worker` (Redis only) the gateway alone,
 * for a fleet where `baton worker` processes run the steps. SIGHUP (and,
 * with `--watch`, a change of the config or a flow file) reloads the flows
 * as `POST /api/reload` does. Runs until SIGTERM or SIGINT, then stops
 * taking webhooks, drains and exits 0.
 */
export function registerServe(program: Command, io: CliIo, exitWith: ExitWith): void {
  program
    .command('serve')
    .description('Run the webhook gateway, the admin API and a worker')
    .addOption(configOption())
    .option('--port <port>', 'port to listen on', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--concurrency <n>', 'steps run at once by this process', '16')
    .option('--drain <ms>', 'how long in-flight steps get to finish on shutdown', '10000')
    .option(
      '--no-worker',
      'gateway only: baton worker processes run the steps (needs REDIS_URL or REDIS_CLUSTER_NODES)',
    )
    .option('--watch', 'development: reload when baton.config.json or a flow file changes')
    .addHelpText(
      'after',
      `
Environment:
  REDIS_URL        the Redis backend (redis://host:6379): runs and queued work survive restarts,
                   and baton worker processes can share the work; unset, the in-memory backend
  REDIS_CLUSTER_NODES  instead of REDIS_URL, a Redis Cluster: seed nodes as host:port,host:port
  BATON_API_TOKEN  the bearer token of /api, /dashboard and /metrics, required with a
                   non-loopback --host; unset, they answer only loopback requests
  OTEL_EXPORTER_OTLP_ENDPOINT, BATON_DURABILITY, BATON_CREDENTIALS_KEY…: see docs/operations.md`,
    )
    .action(
      exitWith((opts: ServeOptions) => {
        const settings = readSettings(io, opts);
        return runUntilSignal(io, {
          async start() {
            await startTracing(io, 'baton-gateway');
            const serving = await startServing(io, settings);
            return settings.watch ? { ...serving, unwatch: watchForEdits(io, serving) } : serving;
          },
          async stop({ gateway, unwatch }: Serving, signal) {
            unwatch?.();
            say(io, `${signal}: draining (up to ${settings.drainMs}ms)…`);
            await gateway.close({ drainMs: settings.drainMs });
            await stopTracing();
            say(io, 'stopped');
          },
          reload: ({ gateway }) => reloadAndReport(io, 'SIGHUP', gateway.reload),
        });
      }),
    );
}

function readSettings(io: CliIo, opts: ServeOptions): ServeSettings {
  const configPath = requireConfig(io, opts.config);
  const settings = {
    configPath,
    port: parsePort(opts.port),
    host: opts.host,
    concurrency: parseWholeNumber(opts.concurrency, '--concurrency', { min: 1 }),
    drainMs: parseWholeNumber(opts.drain, '--drain'),
    worker: opts.worker,
    watch: opts.watch ?? false,
  };
  if (!settings.worker && !usesRedis(io.env)) {
    throw new CliError(
      'REDIS_URL_MISSING',
      '--no-worker leaves the steps to baton worker processes, which share work through Redis: set REDIS_URL or REDIS_CLUSTER_NODES',
    );
  }
  return settings;
}

/** A serving gateway, the hub it started with, and how to stop watching its files (`--watch`). */
interface Serving {
  gateway: RunningGateway;
  hub: Hub;
  unwatch?: () => void;
}

/** `--watch`: reloads, as SIGHUP does, once the config or a flow file changed. */
function watchForEdits(io: CliIo, { gateway, hub }: Serving): () => void {
  say(io, '  watching baton.config.json and the flows folder for changes');
  return watchHub({
    configPath: hub.configPath,
    flowsFolder: hub.config.flows ?? './flows',
    onChange: () =>
      reloadAndReport(io, 'file change', gateway.reload).catch((error: Error) =>
        warn(io, `file change: the reload failed: ${error.message}`),
      ),
  });
}

/** Loads the hub, opens the backend and listens; prints where, and what it serves. */
async function startServing(io: CliIo, settings: ServeSettings): Promise<Serving> {
  const hub = await loadHub({ configPath: settings.configPath, env: io.env, conditions: nodeConditions() });
  const log = createGatewayLogger({ secrets: hub.secrets });
  const backend = await createBackend({ ...backendOptionsFromEnv(io.env, hub), log });
  let gateway: RunningGateway;
  try {
    gateway = await startGateway({
      hub,
      backend,
      port: settings.port,
      host: settings.host,
      concurrency: settings.concurrency,
      worker: settings.worker,
      log,
      ...(io.env.BATON_API_TOKEN ? { apiToken: io.env.BATON_API_TOKEN } : {}),
    });
  } catch (error) {
    await backend.close();
    // SERVE_TOKEN_REQUIRED is a BatonError already: runCli reports it as it is.
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CliError(
        'PORT_IN_USE',
        `${settings.host}:${settings.port} is already in use; pick another --port`,
      );
    }
    throw error;
  }
  printListening(io, gateway, hub, backend);
  return { gateway, hub };
}

function printListening(io: CliIo, gateway: RunningGateway, hub: Hub, backend: Backend): void {
  say(io, `Baton listening on ${gateway.url}`);
  say(io, `  backend: ${backend.name}${backend.durable ? '' : ' (in memory)'}`);
  for (const source of hub.sources.values()) {
    say(
      io,
      `  source ${source.name}: ${source.config.verify.scheme} -> POST ${gateway.url}/webhooks/${source.name}`,
    );
  }
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
      'warning: the embedded backend keeps runs and queued work in memory: a crash or restart loses them. Set REDIS_URL (or REDIS_CLUSTER_NODES) for durable, shared state.',
    );
  }
}
