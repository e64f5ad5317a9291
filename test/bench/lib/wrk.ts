import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { repoRoot, start } from './proc';
import { orderBody, signedHeaders } from './sign';

/** What one wrk run measured. */
export interface WrkRun {
  /** Answers received (any status). */
  requests: number;
  durationS: number;
  /** Answers with a status below 400 per second. */
  rps: number;
  p50: number;
  p99: number;
  /** Connect, read and write errors and timeouts. */
  socketErrors: number;
  /** Answers with a status of 400 or more (wrk counts those; nothing answers 1xx or 3xx here). */
  non2xx: number;
  /** wrk's own CPU time while it sent, per answer, in µs (loading the signed entries left out). */
  cpuUsPerRequest: number;
}

/** Signed entries on disk for one wrk run: `<prefix>.body` and `<prefix>.<thread>`. */
export interface SignedEntries {
  prefix: string;
  threads: number;
  remove(): void;
}

const SCRIPT = resolve(repoRoot, 'test/bench/lib/wrk-signed.lua');

function wrkOnPath(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // wrk --version prints its usage and exits 1: it is there.
    return (error as { status?: number }).status === 1;
  }
}

/** apt-get as root, or through `sudo -n` (never a password prompt), with its output discarded. */
function aptGet(args: string[]): void {
  const root = process.getuid?.() === 0;
  const command = root ? 'apt-get' : 'sudo';
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync(command, [...(root ? [] : ['-n', 'apt-get']), ...args], { stdio: 'ignore', env });
}

/**
 * Whether wrk can drive the ingest load: found on PATH, or installed from
 * Debian's packages as `.ci/run` installs Chromium (an `apt-get update`
 * and a second try when the first install fails). `BENCH_NO_WRK=1` skips
 * it, to try the Node generator the bench falls back to.
 */
export function ensureWrk(log: (message: string) => void): boolean {
  if (process.env.BENCH_NO_WRK === '1') {
    log('BENCH_NO_WRK=1: the ingest load comes from the Node generator (autocannon)');
    return false;
  }
  if (wrkOnPath()) return true;
  log('wrk not found: installing the Debian package wrk');
  const install = ['install', '-y', '--no-install-recommends', 'wrk'];
  try {
    aptGet(install);
  } catch {
    try {
      aptGet(['update']);
      aptGet(install);
    } catch {
      // Reported below.
    }
  }
  if (wrkOnPath()) return true;
  log(
    'wrk could not be installed: the ingest load comes from the Node generator (autocannon), which takes about a core of its own',
  );
  return false;
}

/**
 * Writes `count` signed entries per wrk thread (a fresh `webhook-id`, the
 * timestamp now, its `v1,` signature), and the body they sign, to a temp
 * folder. Ids are unique across the bench run (see sign.ts).
 */
export function signedEntries(options: {
  eventType: string;
  bodyBytes: number;
  count: number;
  threads: number;
}): SignedEntries {
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-wrk-'));
  const prefix = join(dir, 'entries');
  const body = orderBody(options.eventType, options.bodyBytes);
  writeFileSync(`${prefix}.body`, body);
  for (let thread = 1; thread <= options.threads; thread++) {
    const lines: string[] = new Array(options.count);
    for (let i = 0; i < options.count; i++) {
      const headers = signedHeaders(body);
      lines[i] = `${headers['webhook-id']} ${headers['webhook-timestamp']} ${headers['webhook-signature']}`;
    }
    writeFileSync(`${prefix}.${thread}`, `${lines.join('\n')}\n`);
  }
  return {
    prefix,
    threads: options.threads,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * wrk threads per process (`BENCH_WRK_THREADS`, default 1). One keeps up:
 * its CPU per request, in every result, times the rate stays far below
 * one core at the rates reached here.
 */
export const WRK_THREADS = Number(process.env.BENCH_WRK_THREADS ?? 1);
/** Entries signed for a warm-up, per second of it: above any rate reached here (a warm-up may reuse ids). */
const WARMUP_RATE = 40_000;
/** The measured run's entries: this many times the warm-up's rate, at least MIN_RATE per second. */
const RATE_MARGIN = 3;
const MIN_RATE = 10_000;

/** Runs wrk against `url` for `durationS` with `connections`, one signed entry per request. */
export async function runWrk(options: {
  url: string;
  connections: number;
  durationS: number;
  entries: SignedEntries;
  /** A warm-up may send an entry twice (a duplicate delivery) when it runs out; a measured run may not. */
  allowReuse?: boolean;
}): Promise<WrkRun> {
  const { threads, prefix } = options.entries;
  const child = start('wrk', [
    `--threads=${threads}`,
    `--connections=${options.connections}`,
    `--duration=${options.durationS}s`,
    '--timeout=10s',
    `--script=${SCRIPT}`,
    options.url,
    '--',
    prefix,
  ]);
  const code = await child.exited;
  const { stdout, stderr } = child.output();
  if (code !== 0) throw new Error(`wrk exited with ${code}:\n${stdout}\n${stderr}`);
  const done = JSON.parse(stdout.trim().split('\n').pop() ?? '') as {
    requests: number;
    durationUs: number;
    p50Ms: number;
    p99Ms: number;
    socketErrors: number;
    non2xx: number;
    reused: number;
    cpuUs: number;
  };
  // A reused id is a duplicate delivery (answered from the dedup entry): not the load to measure.
  if (done.reused > 0 && !options.allowReuse)
    throw new Error(
      `wrk ran out of signed entries (${done.reused} requests reused an id): raise RATE_MARGIN`,
    );
  const durationS = done.durationUs / 1e6;
  return {
    requests: done.requests,
    durationS,
    rps: (done.requests - done.non2xx) / durationS,
    p50: done.p50Ms,
    p99: done.p99Ms,
    socketErrors: done.socketErrors,
    non2xx: done.non2xx,
    cpuUsPerRequest: done.cpuUs / Math.max(1, done.requests),
  };
}

/**
 * A warm-up and a measured run of wrk against each of `urls` at once,
 * `connections` each: entries for the warm-up are signed first; those of
 * the measured run after it, enough for several times the warm-up's rate,
 * so the measured run never reuses an id. `measuring` is called right
 * before the measured runs start (read CPU counters there).
 */
export async function wrkLoad(options: {
  urls: string[];
  connections: number;
  warmupS: number;
  durationS: number;
  eventType: string;
  bodyBytes: number;
  measuring?: () => void | Promise<void>;
}): Promise<WrkRun[]> {
  const { urls, connections, eventType, bodyBytes } = options;
  const sign = (count: number) =>
    signedEntries({ eventType, bodyBytes, count: Math.ceil(count / WRK_THREADS), threads: WRK_THREADS });
  const all = (entries: SignedEntries[], durationS: number, allowReuse: boolean) =>
    Promise.all(
      urls.map((url, i) => runWrk({ url, connections, durationS, entries: entries[i]!, allowReuse })),
    );
  const warmupEntries = urls.map(() => sign(WARMUP_RATE * options.warmupS));
  let warmup: WrkRun[];
  try {
    warmup = await all(warmupEntries, options.warmupS, true);
  } finally {
    for (const e of warmupEntries) e.remove();
  }
  const entries = warmup.map((w) => sign(Math.max(MIN_RATE, RATE_MARGIN * w.rps) * (options.durationS + 1)));
  try {
    await options.measuring?.();
    return await all(entries, options.durationS, false);
  } finally {
    for (const e of entries) e.remove();
  }
}
