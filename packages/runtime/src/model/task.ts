import type { TraceCarrier } from '@baton/sdk/host';

/** One unit of work in the queue. Handlers are idempotent: a task may be delivered twice. */
export type Task = (
  | { kind: 'start'; run: string }
  | ({ kind: 'step'; run: string; step: string; item?: number; route: number; attempt: number } & Turns)
  | ({ kind: 'compensate'; run: string; step: string; attempt: number } & Turns)
  | { kind: 'timeout'; run: string }
  /** A waiting step's event arrived, or its decision was made. */
  | { kind: 'resume'; run: string; step: string }
  | { kind: 'tick'; flow: string; at: string }
  /** The runs of a bulk replay job from `offset` on, one batch (engine/bulk-replay.ts). */
  | { kind: 'replay-batch'; job: string; offset: number }
) & {
  /**
   * While tracing: the span that queued the task (a retry's, a delay's), which the
   * span that handles it links to. Not part of the task's identity.
   */
  trace?: TraceCarrier;
};

/** A call that went back to the queue to wait for its instance's budget. */
interface Turns {
  /** How many times this attempt went back to the queue to wait for its turn. */
  turn?: number;
  /** How many answers of this attempt the provider throttled (not attempts). */
  throttled?: number;
}

/** A task's identity: the same work always has the same id, so duplicates collapse. */
export function taskId(task: Task): string {
  switch (task.kind) {
    case 'start':
    case 'timeout':
      return `${task.run}|${task.kind}`;
    case 'step':
      return `${task.run}|${task.step}|${task.item ?? '-'}|r${task.route}|a${task.attempt}${turnOf(task)}`;
    case 'compensate':
      return `${task.run}|${task.step}|compensate|a${task.attempt}${turnOf(task)}`;
    case 'resume':
      return `${task.run}|${task.step}|resume`;
    case 'tick':
      return `tick|${task.flow}|${task.at}`;
    case 'replay-batch':
      return `replay|${task.job}|${task.offset}`;
  }
}

function turnOf(task: Turns): string {
  return task.turn ? `|t${task.turn}` : '';
}
