import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { rawClient, startRedisServer, testFlow, testRun, uniquePrefix } from './_test-redis';
import { createRedisBackend, type RedisBackend } from './index';

interface Line {
  level: number;
  msg: string;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await pause(50);
  }
}

/**
 * A Redis backend in use (a worker consuming, a cancel listener, state
 * written) whose redis-server dies: every call the gateway and the API
 * make fails at once with BACKEND_UNAVAILABLE, however often; the log
 * says so once, and once more when Redis is back.
 */
describe('Redis outage', () => {
  let server: Awaited<ReturnType<typeof startRedisServer>> | undefined;
  let backend: RedisBackend | undefined;
  afterEach(async () => {
    await backend?.close().catch(() => {});
    await server?.stop();
    backend = undefined;
    server = undefined;
  });

  async function open(options: { commandTimeoutMs?: number } = {}) {
    // Append-only, so the backend has no start-up warning to log.
    server = await startRedisServer(['--appendonly', 'yes']);
    const lines: Line[] = [];
    const log = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line) as Line) });
    backend = await createRedisBackend({ url: server.url, prefix: uniquePrefix('outage'), log, ...options });
    // What a `baton serve` process holds open besides the command connection.
    backend.queue.consume(async () => {}, { concurrency: 2, onDead: async () => {} });
    backend.signals?.onCancel(() => {});
    return { backend, lines };
  }

  /** Every backend call the gateway makes on a webhook or an admin API request. */
  function gatewayCalls(backend: RedisBackend, runId: string) {
    const flow = testFlow();
    return {
      ingest: () => {
        const run = testRun(flow);
        return backend.events.ingest(run.event, [run], { dedupWindowMs: 60_000 });
      },
      limiter: () => backend.limiter.take('source:shop', 100, 1000),
      backlog: () => backend.queue.depth(),
      'run read': () => backend.runs.get(runId),
      'run list': () => backend.runs.list({ limit: 5 }),
      counts: () => backend.runs.counts(),
      'manual start': () => backend.runs.create([testRun(flow)]),
      enqueue: () => backend.queue.enqueue([{ kind: 'start', run: runId }]),
      cancel: () => backend.runs.patch(runId, { status: 'cancelled' }, { onlyIfActive: true }),
      'cancel notice': () => backend.signals!.publishCancel(runId),
      breakers: () => backend.breakers.all(),
      readiness: () => backend.ping(),
    };
  }

  const warnings = (lines: readonly Line[]) => lines.filter((l) => l.level >= 40);

  it('fails every call with BACKEND_UNAVAILABLE while Redis is dead, and logs the outage once', async () => {
    const { backend, lines } = await open();
    const run = testRun(testFlow());
    await backend.runs.create([run]);
    await server!.kill();

    const calls = Object.entries(gatewayCalls(backend, run.id));
    // Twice over with time between for reconnect attempts and polls to fail: still one line.
    for (const round of [1, 2]) {
      for (const [name, call] of calls)
        await expect(call(), `${name}, round ${round}`).rejects.toMatchObject({
          code: 'BACKEND_UNAVAILABLE',
        });
      await pause(2500);
    }
    expect(warnings(lines)).toEqual([
      expect.objectContaining({ level: 40, msg: expect.stringMatching(/^Redis is unavailable/) }),
    ]);

    await server!.restart();
    await until(() => lines.some((l) => l.msg === 'Redis is back'), 'the end of the outage is logged');
    await backend.ping();
    await expect(backend.runs.list({ limit: 5 })).resolves.toMatchObject({ runs: expect.any(Array) });
    expect(lines.filter((l) => l.msg === 'Redis is back')).toEqual([expect.objectContaining({ level: 30 })]);
    expect(warnings(lines)).toHaveLength(1);
  });

  it('a server that stops answering (commands time out) is an outage too, ended once it answers', async () => {
    const { backend, lines } = await open({ commandTimeoutMs: 200 });
    const run = testRun(testFlow());
    await backend.runs.create([run]);
    const pauser = rawClient(server!.url);
    try {
      await pauser.call('CLIENT', 'PAUSE', '1500', 'ALL');
      await expect(backend.runs.get(run.id)).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
      // A readiness probe is what notices on an idle gateway.
      await expect(backend.ping()).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
      await until(() => lines.some((l) => l.msg === 'Redis is back'), 'the end of the outage is logged');
      expect(warnings(lines)).toEqual([
        expect.objectContaining({ msg: expect.stringMatching(/^Redis is unavailable/) }),
      ]);
      await expect(backend.runs.get(run.id)).resolves.toMatchObject({ id: run.id });
    } finally {
      pauser.disconnect();
    }
  });

  it("a Redis unreachable from the start is the caller's error, not an outage", async () => {
    const lines: Line[] = [];
    const log = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line) as Line) });
    server = await startRedisServer();
    const url = server.url;
    await server.kill();
    await expect(createRedisBackend({ url, prefix: uniquePrefix('outage'), log })).rejects.toMatchObject({
      code: 'BACKEND_UNAVAILABLE',
    });
    await pause(1500);
    expect(lines).toEqual([]);
  });
});
