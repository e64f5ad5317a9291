/** One unit of work in the queue. Handlers are idempotent: a task may be delivered twice. */
export type Task =
  | { kind: 'start'; run: string }
  | { kind: 'step'; run: string; step: string; item?: number; route: number; attempt: number }
  | { kind: 'compensate'; run: string; step: string; attempt: number }
  | { kind: 'timeout'; run: string }
  /** A waiting step's event arrived, or its decision was made. */
  | { kind: 'resume'; run: string; step: string }
  | { kind: 'tick'; flow: string; at: string };

/** A task's identity: the same work always has the same id, so duplicates collapse. */
export function taskId(task: Task): string {
  switch (task.kind) {
    case 'start':
    case 'timeout':
      return `${task.run}|${task.kind}`;
    case 'step':
      return `${task.run}|${task.step}|${task.item ?? '-'}|r${task.route}|a${task.attempt}`;
    case 'compensate':
      return `${task.run}|${task.step}|compensate|a${task.attempt}`;
    case 'resume':
      return `${task.run}|${task.step}|resume`;
    case 'tick':
      return `tick|${task.flow}|${task.at}`;
  }
}
