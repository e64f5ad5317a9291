import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** The built `baton` binary. */
export const batonBin = resolve(repoRoot, 'packages/cli/dist/bin.js');

const children = new Set<ChildProcess>();

/** A child process with its output collected and a way to wait for a line. */
export interface Child {
  proc: ChildProcess;
  pid: number;
  /** Resolves with the first match of `pattern` in stdout; rejects when the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  output(): { stdout: string; stderr: string };
  /** Resolves with the exit code once the process ended. */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Node options for bench children: `BENCH_CPU_PROF=<dir>` writes a CPU
 * profile per child there (for `node --cpu-prof`), and `BENCH_SOURCE=1`
 * runs our packages from their TypeScript sources (quick iterations
 * without a build).
 */
export function nodeFlags(): string[] {
  const flags: string[] = [];
  if (process.env.BENCH_CPU_PROF) flags.push('--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`);
  if (process.env.BENCH_SOURCE === '1') flags.push('--conditions=@baton/source', '--import', 'tsx');
  return flags;
}

/** Starts a process and tracks it, so `killAll` can end it if the bench fails. */
export function start(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Child {
  const proc = spawn(command, args, {
    cwd: options.cwd ?? repoRoot,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(proc);
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  proc.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    // Keep only the tail: a chatty child must not grow the runner's memory.
    if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
  });
  const exited = new Promise<number | null>((done) =>
    proc.once('exit', (code) => {
      children.delete(proc);
      done(code);
    }),
  );
  const label = `${command} ${args
    .filter((a) => !a.startsWith('-'))
    .slice(0, 3)
    .join(' ')}`;
  return {
    proc,
    pid: proc.pid!,
    exited,
    output: () => ({ stdout, stderr }),
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolveMatch, reject) => {
        const check = () => {
          const match = pattern.exec(stdout);
          if (!match) return;
          clearTimeout(timer);
          proc.stdout!.off('data', check);
          resolveMatch(match);
        };
        const timer = setTimeout(
          () => reject(new Error(`${label}: no ${pattern} after ${timeoutMs} ms\n${stdout}\n${stderr}`)),
          timeoutMs,
        );
        proc.stdout!.on('data', check);
        void exited.then((code) => {
          clearTimeout(timer);
          reject(
            new Error(`${label} exited with ${code} before ${pattern}:\n${stdout}\n${stderr.slice(-4000)}`),
          );
        });
        check();
      });
    },
    async stop(graceMs = 15_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a bench script (TypeScript, through tsx) as a child process. */
export function startScript(
  script: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
  nodeArgs: string[] = [],
): Child {
  return start(
    process.execPath,
    [
      ...nodeFlags(),
      ...nodeArgs,
      ...(process.env.BENCH_SOURCE === '1' ? [] : ['--import', 'tsx']),
      resolve(repoRoot, 'test/bench', script),
      ...args,
    ],
    { env },
  );
}

/** Runs a bench script to its end and returns the JSON it printed last. */
export async function runScript<T>(
  script: string,
  args: string[] = [],
  env?: NodeJS.ProcessEnv,
  nodeArgs: string[] = [],
): Promise<T> {
  const child = startScript(script, args, env, nodeArgs);
  const code = await child.exited;
  const { stdout, stderr } = child.output();
  if (code !== 0) throw new Error(`${script} exited with ${code}:\n${stderr.slice(-4000)}`);
  const last = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as T;
}

/** Starts `baton <args>` from the built binary. */
export function startBaton(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; nodeArgs?: string[] },
): Child {
  const entry = process.env.BENCH_SOURCE === '1' ? resolve(repoRoot, 'packages/cli/src/bin.ts') : batonBin;
  return start(process.execPath, [...nodeFlags(), ...(options.nodeArgs ?? []), entry, ...args], options);
}

/** The resident set size of a process, in bytes (Linux). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

/** CPU time (user + system) a process used so far, in µs (Linux, 100 ticks a second). */
export function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** Ends every child still running (the bench failed or was interrupted). */
export function killAll(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
}

/** Waits `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
