import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('../test/fixtures/signal-child.ts', import.meta.url));
const running = new Set<ReturnType<typeof spawn>>();

afterEach(() => {
  for (const child of running)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  running.clear();
});

/** Runs the fixture as a real process, so real signals reach it. */
function startChild(scenario: string) {
  const proc = spawn(process.execPath, ['--import', 'tsx', fixture, scenario], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  proc.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    proc,
    exited,
    lines: () => stdout.trim().split('\n'),
    stderr: () => stderr,
    /** Resolves once stdout holds `text`; fails the test if the process ends first. */
    printed(text: string): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!stdout.includes(text)) return;
          proc.stdout.off('data', check);
          resolve();
        };
        proc.stdout.on('data', check);
        void exited.then(() => reject(new Error(`exited before printing "${text}":\n${stdout}\n${stderr}`)));
        check();
      });
    },
  };
}

describe('runUntilSignal', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'keeps the service up until %s, then stops it and resolves 0',
    async (signal) => {
      const child = startChild('clean');
      await child.printed('started');
      child.proc.kill(signal);
      expect(await child.exited).toEqual({ code: 0, signal: null });
      expect(child.lines()).toEqual([
        'starting',
        'started',
        `stopping service on ${signal}`,
        'stopped',
        'resolved 0; listeners left: 0',
      ]);
    },
  );

  it('stops the service once it is up when the signal came while it was starting', async () => {
    const child = startChild('signal-during-start');
    await child.printed('starting');
    child.proc.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(child.lines()).toEqual([
      'starting',
      'got the signal while starting',
      'started',
      'stopping service on SIGTERM',
      'stopped',
      'resolved 0; listeners left: 0',
    ]);
  });

  it('rejects with the error of a start that fails, and leaves no signal listener behind', async () => {
    const child = startChild('start-fails');
    expect(await child.exited).toEqual({ code: 1, signal: null });
    expect(child.lines()).toEqual(['starting', 'rejected: cannot listen; listeners left: 0']);
  });

  it('rejects with the error of a drain that fails', async () => {
    const child = startChild('stop-fails');
    await child.printed('started');
    child.proc.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 1, signal: null });
    expect(child.lines()).toEqual([
      'starting',
      'started',
      'stopping service on SIGTERM',
      'rejected: drain failed; listeners left: 0',
    ]);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    'gives up a hanging drain on a second signal (%s): resolves %d and says so',
    async (signal, code) => {
      const child = startChild('stop-hangs');
      await child.printed('started');
      child.proc.kill('SIGTERM');
      await child.printed('draining forever');
      child.proc.kill(signal);
      expect(await child.exited).toEqual({ code, signal: null });
      expect(child.lines()).toEqual([
        'starting',
        'started',
        'stopping service on SIGTERM',
        'draining forever',
        `resolved ${code}; listeners left: 0`,
      ]);
      expect(child.stderr()).toBe(`${signal} again: exiting without waiting for the drain to finish\n`);
    },
  );

  it('reloads on SIGHUP and keeps running when a reload fails, then stops on SIGTERM', async () => {
    const child = startChild('reload');
    await child.printed('started');
    child.proc.kill('SIGHUP');
    await child.printed('reloaded service (1)');
    child.proc.kill('SIGHUP');
    await new Promise<void>((resolve) => {
      const check = () => (child.stderr().includes('bad files') ? resolve() : setTimeout(check, 20));
      check();
    });
    child.proc.kill('SIGHUP');
    await child.printed('reloaded service (3)');
    child.proc.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(child.lines()).toEqual([
      'starting',
      'started',
      'reloaded service (1)',
      'reloaded service (3)',
      'stopping service on SIGTERM',
      'stopped',
      'resolved 0; listeners left: 0',
    ]);
    expect(child.stderr()).toBe('SIGHUP: the reload failed: bad files\n');
  });
});
