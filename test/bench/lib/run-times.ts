import { sleep } from './proc';

/** When a run was created, its first step started, its last step ended and it ended (epoch ms). */
export interface RunTimes {
  createdAt: number;
  firstStepStartedAt: number;
  lastStepEndedAt: number;
  endedAt: number;
}

/**
 * When the run was created, its first step started, its last step ended
 * and it ended (epoch ms, from its record: whole milliseconds), waiting
 * for it to end if it has not yet. `url` is the run's `/api/runs/:id`.
 */
export async function runTimes(url: string): Promise<RunTimes> {
  for (let i = 0; i < 200; i++) {
    const run = (await (await fetch(url)).json()) as {
      status: string;
      createdAt: string;
      endedAt?: string;
      steps: Array<{ startedAt?: string; endedAt?: string }>;
    };
    if (run.status === 'succeeded' && run.endedAt) {
      const started = run.steps.flatMap((s) => (s.startedAt ? [Date.parse(s.startedAt)] : []));
      const ended = run.steps.flatMap((s) => (s.endedAt ? [Date.parse(s.endedAt)] : []));
      return {
        createdAt: Date.parse(run.createdAt),
        firstStepStartedAt: Math.min(...started),
        lastStepEndedAt: Math.max(...ended),
        endedAt: Date.parse(run.endedAt),
      };
    }
    if (run.status === 'failed' || run.status === 'cancelled') throw new Error(`${url} ${run.status}`);
    await sleep(50);
  }
  throw new Error(`${url} did not end`);
}
