import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the vendor received. */
export interface VendorRequest {
  path: string;
  key: string | undefined;
  /** The pid of the worker process that sent it (the test connector sends it). */
  pid: number | undefined;
  body: unknown;
}

/** A side effect: what a request with a new idempotency key did. */
export interface VendorEffect {
  id: string;
  path: string;
  key: string | undefined;
  body: unknown;
}

interface Hold {
  arrived: (request: VendorRequest) => void;
  release: Promise<void>;
  releaseNow: () => void;
}

/**
 * A local HTTP server standing in for a vendor API (a payment or carrier
 * API): POST to any path makes one effect per `Idempotency-Key` (a repeated
 * key gets the first answer, as Stripe does), and every request is
 * recorded. The test can hold the next request on a path (the effect is
 * made, the answer is not sent until released), delay answers, or fail them.
 */
export async function startVendor() {
  const requests: VendorRequest[] = [];
  const effects = new Map<string, VendorEffect>();
  const holds = new Map<string, Hold>();
  const released: Array<() => void> = [];
  const delays = new Map<string, number>();
  const failures = new Map<string, number>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const path = (req.url ?? '/').split('?')[0]!;
      const text = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => {
        const value = req.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const pid = header('x-worker-pid');
      const request: VendorRequest = {
        path,
        key: header('idempotency-key'),
        pid: pid ? Number(pid) : undefined,
        body: text ? JSON.parse(text) : undefined,
      };
      requests.push(request);
      const status = failures.get(path);
      if (status) {
        res.writeHead(status, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
        return;
      }
      const effectKey = `${path} ${request.key ?? requests.length}`;
      let effect = effects.get(effectKey);
      if (!effect) {
        effect = { id: `${path.slice(1)}_${effects.size + 1}`, path, key: request.key, body: request.body };
        effects.set(effectKey, effect);
      }
      const hold = holds.get(path);
      if (hold) {
        holds.delete(path);
        hold.arrived(request);
        await hold.release;
      }
      const delay = delays.get(path);
      if (delay) await new Promise((r) => setTimeout(r, delay));
      if (!res.destroyed)
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(effect));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    /** Effects made on a path (one per idempotency key). */
    effectsOn: (path: string) => [...effects.values()].filter((e) => e.path === path),
    requestsTo: (path: string) => requests.filter((r) => r.path === path),
    /** Holds the answer to the next request on `path`; resolves with that request once it arrived. */
    holdNext(path: string): Promise<VendorRequest> {
      return new Promise((arrived) => {
        let releaseNow!: () => void;
        const release = new Promise<void>((r) => {
          releaseNow = r;
        });
        released.push(releaseNow);
        holds.set(path, { arrived, release, releaseNow });
      });
    },
    delay(path: string, ms: number) {
      delays.set(path, ms);
    },
    fail(path: string, status = 503) {
      failures.set(path, status);
    },
    async close() {
      for (const release of released) release();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A connector module for the vendor, in plain ESM as a user would write it. */
export const vendorConnectorModule = `
import { defineAction, defineConnector } from '@baton/sdk';
import { z } from 'zod';

const headers = (idempotencyKey) => ({ 'Idempotency-Key': idempotencyKey, 'X-Worker-Pid': String(process.pid) });
const post = (path) =>
  defineAction({
    input: z.record(z.string(), z.unknown()),
    output: z.unknown(),
    async run({ input, http, idempotencyKey }) {
      const { data } = await http.post(path, input, { headers: headers(idempotencyKey) });
      return data;
    },
  });

export default defineConnector({
  name: 'vendor',
  config: z.object({ baseUrl: z.string() }),
  actions: {
    // Charges, then reports to a checkpoint the test can hold: a crash there is
    // a crash after the charge succeeded and before its result was recorded.
    charge: defineAction({
      input: z.record(z.string(), z.unknown()),
      output: z.unknown(),
      async run({ input, http, idempotencyKey }) {
        const { data } = await http.post('/charges', input, { headers: headers(idempotencyKey) });
        await http.post('/checkpoint', { charge: data.id }, { headers: headers(idempotencyKey) });
        return data;
      },
    }),
    ship: post('/shipments'),
    work: post('/work'),
    flaky: post('/flaky'),
    backup: post('/backup'),
    record: post('/record'),
  },
});
`;
