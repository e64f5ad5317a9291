import {
  type AuditEntry,
  copyRun,
  type ItemRecord,
  type RunRecord,
  type RunStatus,
  type RunSummary,
  type SettledStatus,
  type StepRecord,
  type StepStatus,
  summarize,
  TERMINAL_RUN_STATUSES,
  withSteps,
} from '../../model/run-record';
import { keptAsFailure, type Retention } from '../retention';
import {
  type OrderTurn,
  type PutStepsOptions,
  putStepVia,
  type RunPatch,
  type RunQuery,
  type RunStore,
  type StepWrite,
} from '../types';
import type { EmbeddedOrderLines } from './order-lines';
import { FinishedRuns } from './retention';

interface Entry {
  /** The current record: replaced by every write, never changed in place. */
  run: RunRecord;
  /** Where each step's record is, for runs of many steps (see indexOf()); made on first use. */
  stepIndex: Map<string, number> | undefined;
  /** forEach items by step, while the run is active; made by the first item (most runs have none). */
  items: Map<string, Map<number, ItemRecord>> | undefined;
}

/** Runs of this many steps or fewer find a step's record by a look at each: no map per run. */
const SCANNED_STEPS = 16;

/** Where the run's record of step `id` is (runs never gain or lose step records). */
function indexOf(entry: Entry, id: string): number | undefined {
  const { steps } = entry.run;
  if (steps.length <= SCANNED_STEPS) {
    for (let i = 0; i < steps.length; i++) if (steps[i]!.id === id) return i;
    return undefined;
  }
  entry.stepIndex ??= new Map(steps.map((s, i) => [s.id, i]));
  return entry.stepIndex.get(id);
}

/**
 * Runs in process memory. A write stores a new record for the run that
 * shares what it did not change, and readers get the stored record itself,
 * so a read costs no copy and a record in hand never changes. Finished runs beyond
 * the retention bound are dropped oldest first, which keeps memory flat
 * under a long stream of runs.
 */
export class EmbeddedRunStore implements RunStore {
  private readonly entries = new Map<string, Entry>();
  /** Run ids in creation order (ids sort by time); may hold dropped ids until compacted. */
  private order: string[] = [];
  /** Succeeded runs, and failed or cancelled ones, each kept within its own bound. */
  private readonly succeeded: FinishedRuns;
  private readonly failed: FinishedRuns;

  constructor(
    retention: Retention,
    private readonly now: () => number = Date.now,
    /** The ordering lines an ended run leaves (handing its key to the next run). */
    private readonly lines?: EmbeddedOrderLines,
  ) {
    this.succeeded = new FinishedRuns(retention);
    this.failed = new FinishedRuns(retention.failed);
  }

  async create(runs: readonly RunRecord[]): Promise<void> {
    this.add(runs);
  }

  /** create(), at once: for the embedded backend's own stores, which need not wait a turn. */
  add(runs: readonly RunRecord[]): void {
    for (const run of runs) {
      this.entries.set(run.id, {
        run,
        stepIndex: undefined,
        items: undefined,
      });
      this.order.push(run.id);
      if (TERMINAL_RUN_STATUSES.has(run.status)) this.finish(run);
    }
  }

  async get(id: string): Promise<RunRecord | undefined> {
    return this.entries.get(id)?.run;
  }

  /** get(), at once (see execute/store-now.ts). */
  peek(id: string): RunRecord | undefined {
    return this.entries.get(id)?.run;
  }

  async putStep(
    runId: string,
    step: StepRecord,
    options: { ifStatus?: readonly StepStatus[] } = {},
  ): Promise<RunRecord | undefined> {
    return putStepVia(this, runId, step, options);
  }

  async putSteps(
    runId: string,
    writes: readonly StepWrite[],
    options: PutStepsOptions = {},
  ): Promise<{ written: boolean[]; run?: RunRecord } | undefined> {
    return this.putStepsNow(runId, writes, options.basedOn, options.status);
  }

  /** putSteps(), at once (see execute/store-now.ts). */
  putStepsNow(
    runId: string,
    writes: readonly StepWrite[],
    basedOn?: RunRecord,
    status?: SettledStatus,
  ): { written: boolean[]; run?: RunRecord } | undefined {
    const entry = this.entries.get(runId);
    if (!entry) return undefined;
    // Stored records never change (see replace()): the caller's is current when it is the stored one.
    const current = !basedOn || basedOn === entry.run;
    const written = new Array<boolean>(writes.length);
    let steps: StepRecord[] | undefined;
    let stop = false;
    for (let i = 0; i < writes.length; i++) {
      const { step, ifStatus, required } = writes[i]!;
      const index = indexOf(entry, step.id);
      const ok =
        !stop &&
        (i === 0 || current) &&
        index !== undefined &&
        (!ifStatus || ifStatus.includes((steps ?? entry.run.steps)[index]!.status));
      if (ok) {
        steps ??= [...entry.run.steps];
        steps[index] = step;
      } else if (required) stop = true;
      written[i] = ok;
    }
    if (!steps) return { written };
    const run = withSteps(entry.run, steps);
    // The run's status follows its steps in this same write (RunStore.putSteps).
    const settles =
      status !== undefined &&
      basedOn !== undefined &&
      current &&
      written.every(Boolean) &&
      run.status !== status;
    if (settles && (run.status === 'running' || run.status === 'waiting')) run.status = status;
    return { written, run: this.replace(entry, run) };
  }

  async putItem(runId: string, stepId: string, item: ItemRecord): Promise<ItemRecord[]> {
    const entry = this.entries.get(runId);
    if (!entry) return [];
    entry.items ??= new Map();
    let items = entry.items.get(stepId);
    if (!items) {
      items = new Map();
      entry.items.set(stepId, items);
    }
    items.set(item.index, item);
    return [...items.values()];
  }

  async items(runId: string, stepId: string): Promise<ItemRecord[]> {
    return [...(this.entries.get(runId)?.items?.get(stepId)?.values() ?? [])];
  }

  async patch(
    runId: string,
    patch: RunPatch,
    options: { onlyIfActive?: boolean } = {},
  ): Promise<RunRecord | undefined> {
    const entry = this.entries.get(runId);
    if (!entry) return undefined;
    const wasTerminal = TERMINAL_RUN_STATUSES.has(entry.run.status);
    if (options.onlyIfActive && wasTerminal) return undefined;
    // copyRun reads only a run's fields: the patch is passed as it is (no rest copy without appendAudit).
    const { appendAudit } = patch;
    const run = this.replace(
      entry,
      copyRun(entry.run, appendAudit ? { ...patch, audit: [...entry.run.audit, appendAudit] } : patch),
    );
    if (!wasTerminal && TERMINAL_RUN_STATUSES.has(run.status)) {
      // forEach items are only needed while the step runs.
      entry.items = undefined;
      this.finish(run);
      // In the same synchronous step as the end: the key passes to the next run in line.
      this.lines?.leave(run);
    }
    return run;
  }

  async turn(run: Pick<RunRecord, 'id' | 'flow' | 'orderKey'>): Promise<OrderTurn | undefined> {
    return this.lines?.turn(run);
  }

  /**
   * Marks run `originalId` as replayed by `replayId` (appending `audit`)
   * unless it already names its replay; answers the replay's id, or
   * undefined when there is no such run. Synchronous, so no other call
   * comes between the check and the write: the embedded replay claim.
   */
  claimReplay(originalId: string, replayId: string, audit: AuditEntry): string | undefined {
    const entry = this.entries.get(originalId);
    if (!entry) return undefined;
    if (entry.run.replayedBy) return entry.run.replayedBy;
    this.replace(entry, copyRun(entry.run, { replayedBy: replayId, audit: [...entry.run.audit, audit] }));
    return replayId;
  }

  async list(query: RunQuery): Promise<{ runs: RunSummary[]; next?: string }> {
    const limit = Math.max(1, Math.min(query.limit ?? 50, 500));
    const runs: RunSummary[] = [];
    for (let i = this.order.length - 1; i >= 0; i--) {
      const id = this.order[i]!;
      if (query.cursor && id >= query.cursor) continue;
      const run = this.entries.get(id)?.run;
      if (!run) continue;
      if (query.flow && run.flow !== query.flow) continue;
      if (query.status && run.status !== query.status) continue;
      if (query.since && run.createdAt < query.since) break;
      if (runs.length === limit) return { runs, next: runs[runs.length - 1]!.id };
      runs.push(summarize(run));
    }
    return { runs };
  }

  async counts(): Promise<Record<RunStatus, number>> {
    const counts: Record<RunStatus, number> = {
      queued: 0,
      running: 0,
      waiting: 0,
      succeeded: 0,
      failed: 0,
      cancelled: 0,
    };
    for (const { run } of this.entries.values()) counts[run.status] += 1;
    return counts;
  }

  /** How many runs are held (for tests of the retention bound). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Makes `run` the entry's current record. Records are never changed in
   * place once stored: a write stores a new run object (sharing the step
   * records it did not replace), so readers get the stored object itself,
   * with no copy, and a record they hold never changes under them.
   */
  private replace(entry: Entry, run: RunRecord): RunRecord {
    entry.run = run;
    return run;
  }

  private readonly drop = (id: string): void => {
    this.entries.delete(id);
  };

  /** Counts the run, just ended (its record as stored then), against the retention bound. */
  private finish(run: RunRecord): void {
    const finished = keptAsFailure(run.status) ? this.failed : this.succeeded;
    finished.add(run.id, run.endedAt ?? run.createdAt);
    // Both kinds, so old failures also go while only successes end (a look at the oldest of each).
    const now = this.now();
    this.succeeded.evict(now, this.drop);
    this.failed.evict(now, this.drop);
    // Compact the creation order once most of it points at dropped runs.
    if (this.order.length > 1024 && this.order.length > this.entries.size * 2) {
      this.order = this.order.filter((id) => this.entries.has(id));
    }
  }
}
