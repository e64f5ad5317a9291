import { createServer } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  rawClient,
  startClusterNode,
  startRedisServer,
  type TestTarget,
  testFlow,
  testRun,
  uniquePrefix,
} from './_test-redis';
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
 * written) whose redis-server dies, on one server and on a Cluster (of one
 * node, so the whole Cluster dies): every call the gateway and the API
 * make fails at once with BACKEND_UNAVAILABLE, however often; the log
 * says so once, and once more when Redis is back; meanwhile the process
 * knocks on Redis's port at a measured pace.
 */
const TARGETS: TestTarget[] = ['server', 'cluster'];

describe.each(TARGETS)('Redis outage on a %s', (target) => {
  let server: Awaited<ReturnType<typeof startRedisServer>> | undefined;
  let backend: RedisBackend | undefined;
  afterEach(async () => {
    await backend?.close().catch(() => {});
    await server?.stop();
    backend = undefined;
    server = undefined;
  });

  /** The target's redis-server, and how a backend connects to it. */
  async function startTarget(settings: string[] = []) {
    if (target === 'server') {
      const started = await startRedisServer(settings);
      return { started, where: { url: started.url } };
    }
    const started = await startClusterNode(settings);
    return { started, where: { cluster: { nodes: [started.node] } } };
  }

  async function open(options: { commandTimeoutMs?: number } = {}) {
    // Append-only, so the backend has no start-up warning to log.
    const { where, started } = await startTarget(['--appendonly', 'yes']);
    server = started;
    const lines: Line[] = [];
    const log = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line) as Line) });
    backend = await createRedisBackend({ ...where, prefix: uniquePrefix('outage'), log, ...options });
    // What a `baton serve` process holds open besides the command connection.
    const handled: string[] = [];
    backend.queue.consume(async (task) => void ('run' in task && handled.push(task.run)), {
      concurrency: 2,
      onDead: async () => {},
    });
    backend.signals?.onCancel(() => {});
    return { backend, lines, handled };
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

  /** Publishes a cancel notice until the listener hears it (a subscriber reconnects on its own time). */
  async function hears(backend: RedisBackend, heard: Set<string>, runId: string) {
    const deadline = Date.now() + 15_000;
    while (!heard.has(runId)) {
      if (Date.now() > deadline) throw new Error(`the cancel notice of ${runId} was not heard within 15 s`);
      await backend.signals!.publishCancel(runId).catch(() => {});
      await pause(100);
    }
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

  it('knocks on a dead Redis at a measured pace; once it is back, hears cancel notices and runs tasks again', async () => {
    const { backend, lines, handled } = await open();
    const heard = new Set<string>();
    backend.signals!.onCancel((runId) => heard.add(runId));
    await hears(backend, heard, 'before');
    await server!.kill();
    // A listener on the dead server's port counts each connection the process opens to it.
    let knocks = 0;
    const door = createServer((socket) => {
      knocks += 1;
      socket.destroy();
    });
    await new Promise<void>((ready) => door.listen(Number(new URL(server!.url).port), '127.0.0.1', ready));
    await pause(3000);
    await new Promise((closed) => door.close(closed));
    // Each connection retries with a backoff (50 ms doubling to 2 s): a few dozen knocks in all.
    // A Cluster's pub/sub connection used to move to the next node at once, with no pause:
    // thousands a second, memory climbing until the process died.
    expect(knocks).toBeLessThan(300);
    await server!.restart();
    await until(() => lines.some((l) => l.msg === 'Redis is back'), 'the end of the outage is logged');
    await hears(backend, heard, 'after');
    await backend.queue.enqueue([{ kind: 'start', run: 'run-after' }]);
    await until(() => handled.includes('run-after'), 'a task queued after the outage is run');
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
    const { where, started } = await startTarget();
    server = started;
    await server.kill();
    await expect(createRedisBackend({ ...where, prefix: uniquePrefix('outage'), log })).rejects.toMatchObject(
      {
        code: 'BACKEND_UNAVAILABLE',
      },
    );
    await pause(1500);
    expect(lines).toEqual([]);
  });
});
