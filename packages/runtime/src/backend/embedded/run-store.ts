import {
  type ItemRecord,
  type RunRecord,
  type RunStatus,
  type RunSummary,
  type StepRecord,
  type StepStatus,
  summarize,
  TERMINAL_RUN_STATUSES,
} from '../../engine/run-record';
import type { RunPatch, RunQuery, RunStore, StepWrite } from '../types';

/** How many finished runs, and for how long, the embedded store keeps. */
export interface Retention {
  /** @default 10000 */
  runs: number;
  /** @default 7 days */
  maxAgeMs: number;
}

interface Entry {
  run: RunRecord;
  /** Bumped by every write, so putSteps can tell whether a caller's copy is current. */
  version: number;
  stepIndex: Map<string, number>;
  items: Map<string, Map<number, ItemRecord>>;
}

/**
 * Runs in process memory. Records are kept as live objects and replaced
 * field by field, so a step costs no copy of its run. Finished runs beyond
 * the retention bound are dropped oldest first, which keeps memory flat
 * under a long stream of runs.
 */
export class EmbeddedRunStore implements RunStore {
  private readonly entries = new Map<string, Entry>();
  /** The version of the run each snapshot handed out was taken at. */
  private readonly versions = new WeakMap<RunRecord, number>();
  /** Run ids in creation order (ids sort by time); may hold dropped ids until compacted. */
  private order: string[] = [];
  /** Finished run ids in the order they finished. */
  private finished: string[] = [];
  private finishedHead = 0;

  constructor(
    private readonly retention: Retention,
    private readonly now: () => number = Date.now,
  ) {}

  async create(runs: readonly RunRecord[]): Promise<void> {
    for (const run of runs) {
      this.entries.set(run.id, {
        run,
        version: 0,
        stepIndex: new Map(run.steps.map((s, i) => [s.id, i])),
        items: new Map(),
      });
      this.order.push(run.id);
      if (TERMINAL_RUN_STATUSES.has(run.status)) this.finish(run.id);
    }
  }

  async get(id: string): Promise<RunRecord | undefined> {
    const entry = this.entries.get(id);
    return entry ? this.snapshot(entry) : undefined;
  }

  async putStep(
    runId: string,
    step: StepRecord,
    options: { ifStatus?: readonly StepStatus[] } = {},
  ): Promise<RunRecord | undefined> {
    const result = await this.putSteps(runId, [
      { step, ...(options.ifStatus ? { ifStatus: options.ifStatus } : {}) },
    ]);
    return result?.written[0] ? result.run : undefined;
  }

  async putSteps(
    runId: string,
    writes: readonly StepWrite[],
    options: { basedOn?: RunRecord } = {},
  ): Promise<{ written: boolean[]; run?: RunRecord } | undefined> {
    const entry = this.entries.get(runId);
    if (!entry) return undefined;
    const current = !options.basedOn || this.versions.get(options.basedOn) === entry.version;
    const written: boolean[] = [];
    let stop = false;
    for (const [i, { step, ifStatus, required }] of writes.entries()) {
      const index = entry.stepIndex.get(step.id);
      const ok =
        !stop &&
        (i === 0 || current) &&
        index !== undefined &&
        (!ifStatus || ifStatus.includes(entry.run.steps[index]!.status));
      if (ok) entry.run.steps[index] = step;
      else if (required) stop = true;
      written.push(ok);
    }
    if (!written.includes(true)) return { written };
    entry.version += 1;
    return { written, run: this.snapshot(entry) };
  }

  async putItem(runId: string, stepId: string, item: ItemRecord): Promise<ItemRecord[]> {
    const entry = this.entries.get(runId);
    if (!entry) return [];
    let items = entry.items.get(stepId);
    if (!items) {
      items = new Map();
      entry.items.set(stepId, items);
    }
    items.set(item.index, item);
    return [...items.values()];
  }

  async items(runId: string, stepId: string): Promise<ItemRecord[]> {
    return [...(this.entries.get(runId)?.items.get(stepId)?.values() ?? [])];
  }

  async patch(
    runId: string,
    patch: RunPatch,
    options: { onlyIfActive?: boolean } = {},
  ): Promise<RunRecord | undefined> {
    const entry = this.entries.get(runId);
    if (!entry) return undefined;
    const run = entry.run;
    const wasTerminal = TERMINAL_RUN_STATUSES.has(run.status);
    if (options.onlyIfActive && wasTerminal) return undefined;
    const { appendAudit, ...fields } = patch;
    Object.assign(run, fields);
    entry.version += 1;
    if (appendAudit) run.audit = [...run.audit, appendAudit];
    if (!wasTerminal && TERMINAL_RUN_STATUSES.has(run.status)) {
      // forEach items are only needed while the step runs.
      entry.items.clear();
      this.finish(runId);
    }
    return this.snapshot(entry);
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
   * A copy of the run and of its step list, remembered with its version.
   * Step records are replaced, never changed in place, so they need no copy.
   */
  private snapshot(entry: Entry): RunRecord {
    const copy = { ...entry.run, steps: [...entry.run.steps] };
    this.versions.set(copy, entry.version);
    return copy;
  }

  private finish(runId: string): void {
    this.finished.push(runId);
    this.evict();
  }

  private evict(): void {
    const oldestAllowed = new Date(this.now() - this.retention.maxAgeMs).toISOString();
    while (this.finishedHead < this.finished.length) {
      const id = this.finished[this.finishedHead]!;
      const run = this.entries.get(id)?.run;
      const tooMany = this.finished.length - this.finishedHead > this.retention.runs;
      const tooOld = run !== undefined && (run.endedAt ?? run.createdAt) < oldestAllowed;
      if (run && !tooMany && !tooOld) break;
      this.entries.delete(id);
      this.finishedHead += 1;
    }
    // Compact the bookkeeping arrays once most of them point at dropped runs.
    if (this.finishedHead > 1024 && this.finishedHead * 2 > this.finished.length) {
      this.finished = this.finished.slice(this.finishedHead);
      this.finishedHead = 0;
    }
    if (this.order.length > 1024 && this.order.length > this.entries.size * 2) {
      this.order = this.order.filter((id) => this.entries.has(id));
    }
  }
}
