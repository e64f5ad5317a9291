import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a test receiver got, as it arrived. */
export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, for signature checks. */
  body: string;
  /** `Date.now()` on arrival. */
  at: number;
}

/**
 * A webhook receiver for tests: a real HTTP server on a free loopback port
 * that keeps every request and answers `statuses` in turn (then 200).
 */
export async function startReceiver(options: { statuses?: number[] } = {}) {
  const received: ReceivedRequest[] = [];
  const statuses = [...(options.statuses ?? [])];
  const waiting = new Set<() => void>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({
      path: req.url ?? '/',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      at: Date.now(),
    });
    for (const wake of waiting) wake();
    const status = statuses.shift() ?? 200;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    /** Resolves once `count` requests arrived in all; rejects after `timeoutMs`. */
    async waitFor(count: number, timeoutMs = 5_000): Promise<ReceivedRequest[]> {
      if (received.length >= count) return received;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(check);
          reject(new Error(`receiver: ${received.length} of ${count} requests after ${timeoutMs} ms`));
        }, timeoutMs);
        const check = () => {
          if (received.length < count) return;
          clearTimeout(timer);
          waiting.delete(check);
          resolve();
        };
        waiting.add(check);
      });
      return received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Resolves after `ms`: lets a test see that nothing arrives in that time. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it holds; fails after `timeoutMs`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition still false after ${timeoutMs} ms`);
    await pause(20);
  }
}
