import { type ChildProcess, spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from './free-port';
import { tempDir } from './workspace';

async function waitUntilUp(url: string): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    for (let i = 0; ; i++) {
      try {
        if (probe.status !== 'ready') await probe.connect();
        // LOADING while the AOF is read back: wait for a real answer.
        await probe.ping();
        return;
      } catch (error) {
        if (i > 200) throw error;
        probe.disconnect();
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } finally {
    probe.disconnect();
  }
}

/**
 * A redis-server of the test's own, in a temp folder, for tests that kill
 * it: `kill9` is a crash, `restart` starts it again on the same port and
 * folder, so it reads its append-only file back.
 */
export async function startRedisServer(settings: string[]) {
  const dir = await tempDir('baton-redis-');
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir.path, '--save', '', ...settings],
      {
        stdio: 'ignore',
      },
    );
    await waitUntilUp(url);
  };
  const kill9 = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill('SIGKILL');
    await exited;
  };
  await launch();
  return {
    url,
    dir: dir.path,
    kill9,
    restart: launch,
    async stop() {
      await kill9();
      await dir.remove();
    },
  };
}
