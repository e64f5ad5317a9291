import type { SerializedError } from '@baton/sdk/host';
import { isoMs } from './iso-time';
import type { RunStatus } from './run-record';

/**
 * What the engine reports as it works, in this process: the live view of
 * `baton run` and the dashboard's live updates listen to these.
 */
export type EngineEvent =
  | { type: 'run.started'; runId: string; flow: string }
  | { type: 'run.ended'; runId: string; flow: string; status: RunStatus; error?: SerializedError }
  | { type: 'step.started'; runId: string; flow: string; step: string; action?: string; item?: number }
  | { type: 'step.skipped'; runId: string; flow: string; step: string; reason: string }
  | {
      type: 'step.attempt-failed';
      runId: string;
      flow: string;
      step: string;
      action: string;
      attempt: number;
      item?: number;
      error: SerializedError;
      /** When the next attempt is due, in ms from now; absent when the route is exhausted. */
      retryInMs?: number;
    }
  | {
      type: 'step.rerouted';
      runId: string;
      flow: string;
      step: string;
      from: string;
      to: string;
      item?: number;
    }
  | {
      type: 'step.waiting';
      runId: string;
      flow: string;
      step: string;
      /** How long until it wakes, when it waits for a time (a delay, a retry, a wait's timeout). */
      untilMs?: number;
      /** What it waits for, when it waits for something other than time: an event or a decision. */
      waitingFor?: string;
    }
  | {
      type: 'step.ended';
      runId: string;
      flow: string;
      step: string;
      status: 'succeeded' | 'failed';
      servedBy?: string;
      durationMs: number;
      error?: SerializedError;
    }
  | { type: 'compensation.started'; runId: string; flow: string; step: string; action: string }
  | {
      type: 'compensation.ended';
      runId: string;
      flow: string;
      step: string;
      status: 'succeeded' | 'failed';
      error?: SerializedError;
    };

export type EngineListener = (event: EngineEvent) => void;

/** The `step.ended` event of a step that succeeded at `now` after starting at `startedAt`. */
export function stepSucceeded(
  run: { id: string; flow: string },
  step: string,
  startedAt: string,
  now: number,
  servedBy?: string,
): EngineEvent {
  const durationMs = now - isoMs(startedAt);
  // Every step's: two literals rather than a conditional spread, which takes V8's slow path.
  return servedBy
    ? { type: 'step.ended', runId: run.id, flow: run.flow, step, status: 'succeeded', servedBy, durationMs }
    : { type: 'step.ended', runId: run.id, flow: run.flow, step, status: 'succeeded', durationMs };
}
