import { type ChildProcess, spawn } from 'node:child_process';

/** A child process with its output collected and a way to wait for a line. */
export interface Child {
  proc: ChildProcess;
  pid: number;
  /** Resolves with the first match of `pattern` in stdout; rejects when the process exits first or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  output(): { stdout: string; stderr: string };
  /** Resolves with the exit code once the process ended. */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartChildOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Where the running child is kept until it exits, so a clean-up can kill what is left. */
  running: Set<ChildProcess>;
  /** How the child is named in errors. */
  label: string;
  /** waitFor's timeout when the caller gives none. */
  waitTimeoutMs: number;
}

/**
 * Starts a process with piped output (tests and the bench read what it
 * prints); stderr keeps its last 100–200 kB, so a chatty child cannot grow
 * the parent's memory.
 */
export function startChild(command: string, args: string[], options: StartChildOptions): Child {
  const proc = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  options.running.add(proc);
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  proc.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
  });
  const exited = new Promise<number | null>((done) =>
    proc.once('exit', (code) => {
      options.running.delete(proc);
      done(code);
    }),
  );
  const { label } = options;
  return {
    proc,
    pid: proc.pid!,
    exited,
    output: () => ({ stdout, stderr }),
    waitFor(pattern, timeoutMs = options.waitTimeoutMs) {
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
            new Error(
              `${label} exited with ${code} before printing ${pattern}:\n${stdout}\n${stderr.slice(-4000)}`,
            ),
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

/** Kills every child in `running` that is still alive. */
export function killRunning(running: Set<ChildProcess>): void {
  for (const child of running)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  running.clear();
}
