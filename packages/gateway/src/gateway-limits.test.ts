import { createEmbeddedBackend, loadHub } from '@baton/runtime';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from './gateway';
import type { HttpLimits } from './http-limits';
import { fixtureConfigPath, fixtureEnv } from './test-support/gateway-fixture';
import { type RawClient, rawClient, within } from './test-support/raw-client';
import { rawPost } from './test-support/raw-post';
import { orderBody, signers } from './test-support/signers';

const KiB = 1024;
let gateway: RunningGateway | undefined;
const clients: RawClient[] = [];

async function start(httpLimits: Partial<HttpLimits>) {
  const hub = await loadHub({ configPath: fixtureConfigPath, env: fixtureEnv });
  gateway = await startGateway({
    hub,
    backend: createEmbeddedBackend(),
    port: 0,
    log: pino({ level: 'silent' }),
    httpLimits,
  });
  return gateway;
}

async function client(port: number): Promise<RawClient> {
  const opened = await rawClient(port);
  clients.push(opened);
  return opened;
}

/** A POST on a connection of its own (no pooled connection counted against the cap). */
function post(port: number, path: string, headers: Record<string, string>, body: string) {
  return rawPost(`http://127.0.0.1:${port}${path}`, headers, { body });
}

/** A signed order webhook of the fixture's `shop` source, padded to about `size` bytes. */
function signedOrder(size = 0) {
  const body = orderBody({ sku: 'A-1', qty: 1, pad: 'x'.repeat(size) });
  return { body, headers: signers.standard(body) };
}

const head = (length: number) =>
  `POST /webhooks/shop HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

afterEach(async () => {
  for (const c of clients.splice(0)) c.socket.destroy();
  await gateway?.close({ drainMs: 0 });
  gateway = undefined;
});

describe('the gateway against slow clients', () => {
  it('cuts a client that sends the headers, then trickles the body, at the request timeout', async () => {
    const { port } = await start({ headersTimeoutMs: 300, requestTimeoutMs: 800 });
    const slow = await client(port);
    await slow.write(head(1000));
    slow.trickle(50);
    const sent = await within(slow.closed, 10_000, 'the trickling client was not cut');
    expect(sent).toMatch(/^HTTP\/1\.1 408 /);
    // The gateway goes on answering.
    const { body, headers } = signedOrder();
    expect((await post(port, '/webhooks/shop', headers, body)).status).toBe(202);
  });

  it('cuts a client that never finishes its headers, or sends nothing, at the headers timeout', async () => {
    const { port } = await start({ headersTimeoutMs: 300, requestTimeoutMs: 60_000 });
    const partial = await client(port);
    await partial.write('POST /webhooks/shop HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    partial.trickle(50); // header bytes, never the blank line that ends them
    const silent = await client(port);
    for (const cut of [partial, silent])
      expect(await within(cut.closed, 10_000, 'the client was not cut')).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes a keep-alive connection left idle after its answer', async () => {
    const { port } = await start({ keepAliveTimeoutMs: 100 });
    const idle = await client(port);
    await idle.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect((await idle.response()).status).toBe(200);
    // Node adds a second to the timeout before it closes; its own default would be 5 s more.
    await within(idle.closed, 4000, 'the idle connection was not closed');
  });

  it('refuses connections past the cap, and takes them again once one closes', async () => {
    const { port } = await start({ maxConnections: 3 });
    const held = [await client(port), await client(port), await client(port)];
    const extra = await client(port);
    expect(await within(extra.closed, 5000, 'the connection past the cap was not closed')).toBe('');

    held[0]!.socket.destroy();
    const { body, headers } = signedOrder();
    let status = 0;
    // The server counts the closed connection out as soon as it sees the close.
    for (let i = 0; i < 50 && status !== 202; i++) {
      status = await post(port, '/webhooks/shop', headers, body).then(
        (res) => res.status,
        () => 0,
      );
      if (status !== 202) await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe(202);
  });
});

describe('the cap on body bytes being read at once', () => {
  it('answers 503 BUSY at once while large bodies hold it; small webhooks still go through', async () => {
    // 64 KiB of each body is uncounted: a 250 KiB body held half-sent counts 186 KiB.
    const { port } = await start({ maxBodyBytesInFlight: 200 * KiB, requestTimeoutMs: 60_000 });
    const holder = await client(port);
    await holder.write(head(300 * KiB));
    await holder.write(Buffer.alloc(250 * KiB, 'a'));

    // Once the gateway has read the holder's bytes, an unsigned large body is refused
    // before its signature is even looked at.
    let status = 0;
    for (let i = 0; i < 100 && status !== 503; i++) {
      status = (
        await post(port, '/webhooks/shop', { 'content-type': 'application/json' }, '{'.repeat(100 * KiB))
      ).status;
      if (status !== 503) await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe(503);
    // It is answered at once: a large body gets its 503 without sending the rest.
    const big = await client(port);
    await big.write(head(200 * KiB));
    await big.write(Buffer.alloc(100 * KiB, '{'));
    const answer = await within(big.response(), 5000, 'no answer to the large body');
    expect(answer.status).toBe(503);
    expect(answer.head).toMatch(/\r\nretry-after: 5\r\n/i);
    expect(JSON.parse(answer.body).error.code).toBe('BUSY');

    const small = signedOrder();
    expect((await post(port, '/webhooks/shop', small.headers, small.body)).status).toBe(202);

    // Once the holder goes away, what it held is given back: a large signed webhook is taken.
    holder.socket.destroy();
    await holder.closed;
    const large = signedOrder(150 * KiB);
    status = 0;
    for (let i = 0; i < 50 && status !== 202; i++) {
      status = (await post(port, '/webhooks/shop', large.headers, large.body)).status;
      if (status !== 202) await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe(202);
  });
});

describe('close()', () => {
  it('ends within the drain time while a slow client holds a connection, and lets a request in progress finish', async () => {
    const { port } = await start({ requestTimeoutMs: 60_000 });
    const slow = await client(port);
    await slow.write(head(1000));
    slow.trickle(50);

    const { body, headers } = signedOrder();
    const inProgress = await client(port);
    const raw = Object.entries({ ...headers, 'content-length': String(Buffer.byteLength(body)) })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    await inProgress.write(`POST /webhooks/shop HTTP/1.1\r\nHost: 127.0.0.1\r\n${raw}\r\n`);
    await inProgress.write(body.slice(0, 10));
    await new Promise((r) => setTimeout(r, 100)); // the handler has begun reading

    const closing = gateway!.close({ drainMs: 1000 });
    gateway = undefined;
    await inProgress.write(body.slice(10));
    expect((await inProgress.response()).status).toBe(202);
    // Bounded by the drain time, whatever the slow client does (a generous margin for a loaded machine).
    await within(closing, 6000, 'close() with a slow client connected');
    await within(slow.closed, 1000, 'the slow client was not disconnected');
  });
});
