import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../helpers/free-port';
import { type Child, sleep, start } from './proc';

/** The Redis the bench uses, and how to give it back. */
export interface BenchRedis {
  url: string;
  /** `redis-server --version` of the server answering. */
  version: string;
  /** True when the bench started this server itself. */
  own: boolean;
  /** The server's process id (INFO), to read its CPU time when it runs on this machine. */
  pid: number | undefined;
  close(): Promise<void>;
}

async function answers(url: string): Promise<{ version: string; pid: number } | undefined> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    const info = await probe.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1];
    return version ? { version, pid: Number(/process_id:(\d+)/.exec(info)?.[1]) } : undefined;
  } catch {
    return undefined;
  } finally {
    probe.disconnect();
  }
}

/**
 * REDIS_URL (default redis://127.0.0.1:6379) when something answers there;
 * otherwise a redis-server of the bench's own on a free port with a temp
 * folder, without persistence, removed at the end.
 */
export async function benchRedis(): Promise<BenchRedis> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const found = await answers(url);
  if (found)
    return { url, version: `Redis ${found.version}`, own: false, pid: found.pid, close: async () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-redis-'));
  const port = await freePort();
  let server: Child;
  try {
    server = start('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
    ]);
  } catch (error) {
    throw new Error(
      `nothing answers at ${url} and redis-server could not be started: ${(error as Error).message}`,
    );
  }
  const ownUrl = `redis://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const own = await answers(ownUrl);
    if (own) {
      return {
        url: ownUrl,
        version: `Redis ${own.version}`,
        own: true,
        pid: own.pid,
        async close() {
          await server.stop(2000);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    if (i > 100) throw new Error(`redis-server on port ${port} did not answer:\n${server.output().stderr}`);
    await sleep(50);
  }
}

/** `redis-server --version`, or what the server says when the binary is not on PATH. */
export function redisServerVersion(fallback: string): string {
  try {
    return execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return fallback;
  }
}
