import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Child, killRunning, startChild } from '../../helpers/child';

export type { Child };

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** The built `baton` binary. */
export const batonBin = resolve(repoRoot, 'packages/cli/dist/bin.js');

const children = new Set<ChildProcess>();

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
  const label = `${command} ${args
    .filter((a) => !a.startsWith('-'))
    .slice(0, 3)
    .join(' ')}`;
  return startChild(command, args, {
    cwd: options.cwd ?? repoRoot,
    ...(options.env ? { env: options.env } : {}),
    running: children,
    label,
    waitTimeoutMs: 60_000,
  });
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
  killRunning(children);
}

/** Waits `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
