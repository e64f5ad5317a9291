import { type RunningSandbox, startSandbox } from '@baton/sandbox';
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import type { ExitWith } from '../command';
import { type CliIo, say, warn } from '../io';
import { parsePort } from '../options';
import { runUntilSignal } from '../run-until-signal';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * `baton sandbox [--port 4010] [--host 127.0.0.1] [--smtp-port 2525]`: runs
 * the local emulators of the business systems (BambooHR, SCIM, HubSpot,
 * inventory, Stripe, carriers, Slack, a mail server, ops) until SIGINT or
 * SIGTERM, then closes them.
 */
export function registerSandbox(program: Command, io: CliIo, exitWith: ExitWith): void {
  program
    .command('sandbox')
    .description('Run local emulators of the business systems, with fault injection, a ledger and webhooks')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '4010')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option(
      '--smtp-port <port>',
      'port of the mail server (default 2525; a free one with --port 0; 0 picks a free one)',
    )
    .action(
      exitWith((opts: { port: string; host: string; smtpPort?: string }) => {
        const port = parsePort(opts.port);
        const smtpPort = opts.smtpPort === undefined ? undefined : parsePort(opts.smtpPort, '--smtp-port');
        return runUntilSignal(io, {
          start: () => startListening(io, port, opts.host, smtpPort),
          async stop(sandbox, signal) {
            await sandbox.close();
            say(io, `Sandbox stopped (${signal}).`);
          },
        });
      }),
    );
}

/** Starts the emulators and prints where each one answers. */
async function startListening(
  io: CliIo,
  port: number,
  host: string,
  smtpPort: number | undefined,
): Promise<RunningSandbox> {
  let sandbox: RunningSandbox;
  try {
    sandbox = await startSandbox({ port, host, ...(smtpPort !== undefined ? { smtpPort } : {}) });
  } catch (error) {
    // The mail server's failure carries its own port.
    const failed = (error as { port?: unknown }).port;
    throw new CliError(
      'SANDBOX_LISTEN_FAILED',
      `cannot listen on ${host}:${typeof failed === 'number' ? failed : port}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (!LOOPBACK.has(host)) {
    warn(io, `warning: the sandbox has no authentication and now listens on ${host}`);
  }
  say(io, `Baton sandbox listening on ${sandbox.url}`);
  const rows = sandbox.systems.map((s) => [s.name, `${sandbox.url}${s.prefix}`, s.description] as const);
  const nameWidth = Math.max(...rows.map(([name]) => name.length));
  const urlWidth = Math.max(...rows.map(([, url]) => url.length));
  for (const [name, url, description] of rows) {
    say(io, `  ${name.padEnd(nameWidth)}  ${url.padEnd(urlWidth)}  ${description}`);
  }
  if (sandbox.smtp)
    say(io, `Mail server (SMTP): ${sandbox.smtp.url}, read at ${sandbox.url}/mailbox/messages`);
  say(io, `Control API: ${sandbox.url}/_sandbox (faults, ledger, reset, webhooks/emit)`);
  say(io, 'Press Ctrl+C to stop.');
  return sandbox;
}
