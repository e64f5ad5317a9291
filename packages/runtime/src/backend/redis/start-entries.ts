import type { Task } from '../../model/task';

/** The consumer group every worker reads the start stream in. */
export const START_GROUP = 'workers';

/** One entry of the start stream: the tasks of the runs one ingest (or replay) made. */
export interface StartEntry {
  id: string;
  /** The start tasks of new runs, and the resume tasks of the waits ingest ended. */
  tasks: Task[];
}

/** Entries as XREADGROUP and XAUTOCLAIM return them. */
export function parseEntries(raw: readonly [string, string[] | null][]): StartEntry[] {
  return raw.map(([id, fields]) => {
    // A claimed entry deleted meanwhile comes back without fields: acknowledge it, start nothing.
    const record = fields ? toRecord(fields) : {};
    const tasks: Task[] = listOf(record.runs).map((run) => ({ kind: 'start', run }));
    for (const waiter of listOf(record.resumes)) {
      const bar = waiter.indexOf('|');
      tasks.push({ kind: 'resume', run: waiter.slice(0, bar), step: waiter.slice(bar + 1) });
    }
    return { id, tasks };
  });
}

function listOf(value: unknown): string[] {
  return typeof value === 'string' && value !== '' ? value.split(',') : [];
}

export function toRecord(flat: readonly unknown[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) record[String(flat[i])] = flat[i + 1];
  return record;
}
