import type { Backend } from '../backend/types';
import { type RunRecord, TERMINAL_RUN_STATUSES } from '../model/run-record';
import { EngineError } from './engine-error';
import type { EngineEvents } from './event-hub';

/**
 * Resolves with the run once it ended: woken by this process's engine,
 * polling (5 ms doubling to 250 ms) for runs other workers handle.
 */
export async function waitForRun(
  deps: { backend: Backend; events: EngineEvents; now: () => number },
  runId: string,
  timeoutMs = 60_000,
): Promise<RunRecord> {
  const deadline = deps.now() + timeoutMs;
  let wake: (() => void) | undefined;
  const off = deps.events.on((event) => {
    if (event.type === 'run.ended' && event.runId === runId) wake?.();
  });
  try {
    for (let pause = 5; ; pause = Math.min(pause * 2, 250)) {
      const run = await deps.backend.runs.get(runId);
      if (run && TERMINAL_RUN_STATUSES.has(run.status)) return run;
      if (deps.now() >= deadline)
        throw new EngineError('RUN_WAIT_TIMEOUT', `Run "${runId}" did not end in time`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(pause, Math.max(1, deadline - deps.now())));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    off();
  }
}
