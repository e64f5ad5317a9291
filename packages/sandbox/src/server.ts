import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createSandboxApp, type SandboxAppOptions } from './app';
import type { SmtpAddress } from './mail/mailbox';
import { type RunningMailServer, type SmtpCredentials, startMailServer } from './mail/smtp-server';
import { mailboxSystem } from './systems/mailbox';

export interface StartSandboxOptions extends SandboxAppOptions {
  /** @default 4010 (0 picks a free port) */
  port?: number;
  /** @default 127.0.0.1 */
  host?: string;
  /**
   * Port of the mail server (SMTP, on `host`), which runs when the `mailbox`
   * system is mounted; `false` runs none.
   * @default 2525, or 0 (a free port) when `port` is 0: sandboxes that tests
   * start side by side never compete for one
   */
  smtpPort?: number | false;
  /** Credentials the mail server requires. @default none: any client may send, with any credentials or none */
  smtpAuth?: SmtpCredentials;
}

export interface RunningSandbox {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  state: ReturnType<typeof createSandboxApp>['state'];
  systems: ReturnType<typeof createSandboxApp>['systems'];
  /** Where the mail server listens (`smtp://127.0.0.1:2525`), or null when none runs. */
  smtp: SmtpAddress | null;
  /** Stops listening; pending webhook deliveries and delayed events are cancelled. */
  close(): Promise<void>;
}

/** Starts the sandbox on a real port. */
export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const { app, state, systems } = createSandboxApp(options);
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 4010, hostname: host }, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  let mail: RunningMailServer | undefined;
  try {
    mail = await startMail(state, systems, options, host);
  } catch (error) {
    await new Promise((resolve) => server.close(resolve));
    throw error;
  }
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    state,
    systems,
    smtp: mail?.address ?? null,
    close: async () => {
      await mail?.close();
      await new Promise<void>((resolve) => {
        state.close();
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      });
    },
  };
}

async function startMail(
  state: ReturnType<typeof createSandboxApp>['state'],
  systems: ReturnType<typeof createSandboxApp>['systems'],
  options: StartSandboxOptions,
  host: string,
): Promise<RunningMailServer | undefined> {
  const port = options.smtpPort ?? (options.port === 0 ? 0 : 2525);
  if (port === false || !systems.some((s) => s.name === mailboxSystem.name)) return undefined;
  try {
    return await startMailServer(state, {
      port,
      host,
      ...(options.smtpAuth ? { auth: options.smtpAuth } : {}),
    });
  } catch (error) {
    // Say which of the two servers could not listen; `port` lets a caller name the right one.
    const cause = error as NodeJS.ErrnoException;
    throw Object.assign(new Error(`mail server (SMTP): ${cause.message}`, { cause }), {
      code: cause.code,
      port,
    });
  }
}
