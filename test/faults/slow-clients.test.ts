import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubFolder } from '../helpers/cli';
import { killChildren, spawnBaton } from '../helpers/spawn-baton';

const secret = `whsec_${Buffer.from('slow-client-signing-key-0123').toString('base64')}`;

/** A connection that sends `first`, then one byte every 50 ms, and resolves with what the server sent once it closes. */
function slowClient(port: number, first: string) {
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    received += chunk;
  });
  socket.on('error', () => {});
  socket.on('connect', () => socket.write(first));
  const trickle = setInterval(() => socket.writable && socket.write('a'), 50);
  const closed = new Promise<string>((resolve) =>
    socket.once('close', () => {
      clearInterval(trickle);
      resolve(received);
    }),
  );
  return { socket, closed };
}

describe('baton serve against slow clients', () => {
  let hub: Awaited<ReturnType<typeof hubFolder>>;
  const { REDIS_URL: _redis, ...parentEnv } = process.env;
  const env = { ...parentEnv, SHOP_WHSEC: secret, BATON_API_TOKEN: '' };

  beforeAll(async () => {
    hub = await hubFolder({
      'baton.config.json': {
        sources: { shop: { verify: { scheme: 'standard-webhooks', secret: { $env: 'SHOP_WHSEC' } } } },
        http: { headersTimeout: '500ms', requestTimeout: '60s' },
      },
      'flows/.keep': '',
    });
  });
  afterAll(async () => {
    killChildren();
    await hub?.remove();
  });

  it('applies the http limits of baton.config.json, and exits within --drain of SIGTERM while a slow body holds a connection', async () => {
    const serve = spawnBaton(['serve', '--port', '0', '--drain', '1000'], { cwd: hub.path, env });
    const [, url] = await serve.waitFor(/Baton listening on (http:\/\/\S+)/);
    const port = Number(new URL(url!).port);

    // headersTimeout from the config: unfinished headers are cut long before requestTimeout.
    const headers = slowClient(port, 'POST /webhooks/shop HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    expect(await headers.closed).toMatch(/^HTTP\/1\.1 408 /);

    // A body a byte at a time: within requestTimeout (60 s), so it is still being read at SIGTERM.
    const body = slowClient(
      port,
      'POST /webhooks/shop HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(body.socket.destroyed).toBe(false);

    const signalled = Date.now();
    serve.proc.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
    const took = Date.now() - signalled;
    // --drain 1000 plus the backend's close and the CLI's exit; without the cut the
    // process would live as long as the client kept sending.
    expect(took).toBeLessThan(6000);
    await body.closed;
    expect(serve.output().stdout).toContain('stopped');
  });
});
