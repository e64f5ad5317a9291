import type { ChildProcess } from 'node:child_process';
import { type Child, killRunning, startChild } from './child';
import { repoRoot } from './workspace';

const children = new Set<ChildProcess>();

/** Kills every child a test left running (call from afterEach/afterAll). */
export function killChildren(): void {
  killRunning(children);
}

/**
 * Starts `baton <args>` as a child process from the TypeScript sources, the
 * way a user runs the binary, and collects its output.
 */
export function spawnBaton(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Child {
  return startChild(
    process.execPath,
    ['--conditions=@baton/source', '--import', 'tsx', `${repoRoot}/packages/cli/src/bin.ts`, ...args],
    {
      cwd: options.cwd ?? repoRoot,
      ...(options.env ? { env: options.env } : {}),
      running: children,
      label: `baton ${args[0] ?? ''}`,
      waitTimeoutMs: 30_000,
    },
  );
}

/**
 * Starts `baton <args>` from the built binary (`packages/cli/dist/bin.js`,
 * as published: the global setup builds it), which starts in a fraction of
 * the time the sources through tsx take.
 */
export function spawnBuiltBaton(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Child {
  return startChild(process.execPath, [`${repoRoot}/packages/cli/dist/bin.js`, ...args], {
    cwd: options.cwd ?? repoRoot,
    ...(options.env ? { env: options.env } : {}),
    running: children,
    label: `baton ${args[0] ?? ''}`,
    waitTimeoutMs: 30_000,
  });
}
