import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createSandboxApp, type SandboxAppOptions } from './app';

export interface StartSandboxOptions extends SandboxAppOptions {
  /** @default 4010 (0 picks a free port) */
  port?: number;
  /** @default 127.0.0.1 */
  host?: string;
}

export interface RunningSandbox {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  state: ReturnType<typeof createSandboxApp>['state'];
  systems: ReturnType<typeof createSandboxApp>['systems'];
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
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    state,
    systems,
    close: () =>
      new Promise<void>((resolve) => {
        state.close();
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
