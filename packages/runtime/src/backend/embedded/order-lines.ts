import type { RunRecord } from '../../model/run-record';
import type { OrderTurn, TaskQueue } from '../types';

type OrderedRun = Pick<RunRecord, 'id' | 'flow' | 'orderKey'>;

/** A line's run ids in arrival order; the first `head` entries have left it. */
interface Line {
  ids: string[];
  head: number;
}

/**
 * The embedded backend's ordering lines: per (flow, order key), the runs in
 * arrival order; only the first holds the key and has its start task. A run
 * joins when it is created (the event log) and leaves when it ends (the run
 * store's terminal patch), which hands the key to the next in line by
 * queuing its start. Each is synchronous, so no other call comes between
 * the end of one run and the hand-off to the next.
 */
export class EmbeddedOrderLines {
  private readonly lines = new Map<string, Line>();

  constructor(private readonly queue: TaskQueue) {}

  /** Puts an ordered run at the end of its line; true when it is first (it holds the key now). */
  join(run: OrderedRun & { orderKey: string }): boolean {
    const id = lineId(run.flow, run.orderKey);
    const line = this.lines.get(id);
    if (!line) {
      this.lines.set(id, { ids: [run.id], head: 0 });
      return true;
    }
    line.ids.push(run.id);
    return line.ids.length - line.head === 1;
  }

  /**
   * Takes an ended run out of its line; when it held the key, the next run
   * gets its start task. Leaving a line one is not in does nothing.
   */
  leave(run: OrderedRun): void {
    if (run.orderKey === undefined) return;
    const id = lineId(run.flow, run.orderKey);
    const line = this.lines.get(id);
    if (!line) return;
    const at = line.ids.indexOf(run.id, line.head);
    if (at === -1) return;
    if (at !== line.head) {
      // A queued run cancelled behind others: the key's holder is unchanged.
      line.ids.splice(at, 1);
      return;
    }
    line.head += 1;
    if (line.head === line.ids.length) {
      this.lines.delete(id);
      return;
    }
    // Drop what has left once it is most of the array: a busy key's line stays small.
    if (line.head > 64 && line.head * 2 > line.ids.length) {
      line.ids = line.ids.slice(line.head);
      line.head = 0;
    }
    void this.queue.enqueue([{ kind: 'start', run: line.ids[line.head]! }]);
  }

  /** Where a run stands in its line: undefined when it is not in one, or first. */
  turn(run: OrderedRun): OrderTurn | undefined {
    if (run.orderKey === undefined) return undefined;
    const line = this.lines.get(lineId(run.flow, run.orderKey));
    if (!line) return undefined;
    const at = line.ids.indexOf(run.id, line.head);
    if (at <= line.head) return undefined;
    return { orderKey: run.orderKey, behind: line.ids[line.head]!, ahead: at - line.head };
  }
}

function lineId(flow: string, orderKey: string): string {
  return `${flow}\u0000${orderKey}`;
}
