import { type RunningSandbox, startSandbox } from '@baton/sandbox';
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import { type CliIo, say, warn } from '../io';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * `baton sandbox [--port 4010] [--host 127.0.0.1]`: runs the local emulators
 * of the business systems (BambooHR, SCIM, HubSpot, inventory, Stripe,
 * carriers, Slack, ops) until SIGINT or SIGTERM, then closes them.
 */
export function registerSandbox(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('sandbox')
    .description('Run local emulators of the business systems, with fault injection, a ledger and webhooks')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '4010')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action(async (opts: { port: string; host: string }) => {
      const port = parsePort(opts.port);
      let sandbox: RunningSandbox;
      try {
        sandbox = await startSandbox({ port, host: opts.host });
      } catch (error) {
        throw new CliError(
          'SANDBOX_LISTEN_FAILED',
          `cannot listen on ${opts.host}:${port}: ${(error as Error).message}`,
          { cause: error },
        );
      }
      if (!LOOPBACK.has(opts.host)) {
        warn(io, `warning: the sandbox has no authentication and now listens on ${opts.host}`);
      }
      say(io, `Baton sandbox listening on ${sandbox.url}`);
      const rows = sandbox.systems.map((s) => [s.name, `${sandbox.url}${s.prefix}`, s.description] as const);
      const nameWidth = Math.max(...rows.map(([name]) => name.length));
      const urlWidth = Math.max(...rows.map(([, url]) => url.length));
      for (const [name, url, description] of rows) {
        say(io, `  ${name.padEnd(nameWidth)}  ${url.padEnd(urlWidth)}  ${description}`);
      }
      say(io, `Control API: ${sandbox.url}/_sandbox (faults, ledger, reset, webhooks/emit)`);
      say(io, 'Press Ctrl+C to stop.');
      const signal = await nextSignal();
      await sandbox.close();
      say(io, `Sandbox stopped (${signal}).`);
      done(0);
    });
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) {
    throw new CliError('PORT_INVALID', `--port must be a number from 0 to 65535, got "${text}"`);
  }
  return port;
}

/** Resolves with the first SIGINT or SIGTERM, and stops listening for both. */
function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
