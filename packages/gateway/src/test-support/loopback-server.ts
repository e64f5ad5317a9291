import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

/** An answer as read off the socket. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Serves a gateway app on 127.0.0.1 (a free port) for tests that need what
 * only a real socket has: any `Host` header, a body cut off mid-way.
 */
export async function loopbackServer(app: { fetch: (request: Request, env: unknown) => unknown }) {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve(
      { fetch: app.fetch as Parameters<typeof serve>[0]['fetch'], port: 0, hostname: '127.0.0.1' },
      () => resolve(s),
    );
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    /** Sends one request; `headers` may set `host` to anything. */
    send(
      method: string,
      path: string,
      options: { headers?: Record<string, string>; body?: string | Buffer } = {},
    ): Promise<RawAnswer> {
      return new Promise((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, path, method, headers: options.headers ?? {} },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: Buffer.concat(chunks).toString('utf8'),
              }),
            );
          },
        );
        req.on('error', reject);
        req.end(options.body);
      });
    },
    /** Sends the headers and the first part of a body, then resets the connection. */
    abortMidBody(path: string, headers: Record<string, string>, part: string): Promise<void> {
      return new Promise((resolve) => {
        const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers });
        req.on('error', () => {});
        req.write(part, () => {
          // Give the server the headers and the part before the connection goes.
          setTimeout(() => {
            req.destroy();
            resolve();
          }, 50);
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
