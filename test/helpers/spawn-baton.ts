import { type ChildProcess, spawn } from 'node:child_process';
import { repoRoot } from './workspace';

const children = new Set<ChildProcess>();

/** Kills every child a test left running (call from afterEach/afterAll). */
export function killChildren(): void {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
}

/**
 * Starts `baton <args>` as a child process from the TypeScript sources, the
 * way a user runs the binary, and collects its output.
 */
export function spawnBaton(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const proc = spawn(
    process.execPath,
    ['--conditions=@baton/source', '--import', 'tsx', `${repoRoot}/packages/cli/src/bin.ts`, ...args],
    { cwd: options.cwd ?? repoRoot, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.add(proc);
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  proc.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  /** Resolves with the first match of `pattern` in stdout; rejects if the process exits first or after `timeoutMs`. */
  const waitFor = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(stdout);
        if (match) {
          clearTimeout(timer);
          proc.stdout!.off('data', check);
          resolve(match);
        }
      };
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${pattern}:\n${stdout}\n${stderr}`)),
        timeoutMs,
      );
      proc.stdout!.on('data', check);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(
          new Error(`baton ${args[0]} exited with ${code} before printing ${pattern}:\n${stdout}\n${stderr}`),
        );
      });
      check();
    });
  return { proc, exited, waitFor, output: () => ({ stdout, stderr }) };
}
