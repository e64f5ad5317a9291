import type { CallAbort } from '@baton/sdk/host';

/**
 * The calls in flight in this process, by run id, so cancelling a run
 * aborts them. A run has one call in flight nearly always (a forEach or
 * parallel branches may have more): it is kept as it is, not in a set,
 * and adding and removing it makes nothing.
 */
export class InFlightCalls {
  private readonly byRun = new Map<string, CallAbort | CallAbort[]>();

  add(runId: string, abort: CallAbort): void {
    const held = this.byRun.get(runId);
    if (held === undefined) this.byRun.set(runId, abort);
    else if (Array.isArray(held)) held.push(abort);
    else this.byRun.set(runId, [held, abort]);
  }

  remove(runId: string, abort: CallAbort): void {
    const held = this.byRun.get(runId);
    if (held === abort) {
      this.byRun.delete(runId);
      return;
    }
    if (!Array.isArray(held)) return;
    const index = held.indexOf(abort);
    if (index >= 0) held.splice(index, 1);
    if (held.length === 0) this.byRun.delete(runId);
  }

  /** Aborts every call of the run in flight here. */
  abortRun(runId: string, reason: unknown): void {
    const held = this.byRun.get(runId);
    if (held === undefined) return;
    for (const abort of Array.isArray(held) ? [...held] : [held]) abort.abort(reason);
  }
}
