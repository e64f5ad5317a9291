import type { RunRecord, SettledStatus, StepRecord } from '../../model/run-record';
import { copyRun, TERMINAL_RUN_STATUSES } from '../../model/run-record';
import type { RunPatch } from '../types';

/**
 * How many active runs a process keeps a copy of: enough for the runs a
 * worker has in flight during a burst (a few MB); beyond it, the oldest
 * copies go and those runs are read whole again.
 */
const MAX_RUNS = 4096;

/**
 * This process's copies of the active runs it read or wrote, each with
 * the version of the Redis hash it equals (see lua/get-run.ts). A copy is
 * only used after Redis confirmed its version is still current, so another
 * worker's write is never missed; it saves decoding the run again, which
 * was most of a worker's time per step. Copies are shared by the tasks of
 * this process and never changed in place (the engine treats run records
 * as values); ended and waiting runs are dropped, and the oldest go
 * beyond MAX_RUNS.
 */
export class RunCache {
  private readonly runs = new Map<string, { version: number; run: RunRecord }>();
  /** The version of every copy handed out, held or not. */
  private versions = new WeakMap<RunRecord, number>();

  /** The version a copy this store handed out was taken at, as a script argument ('' when unknown). */
  versionOf(run: RunRecord): string {
    const version = this.versions.get(run);
    return version === undefined ? '' : String(version);
  }

  /** The version of the copy held, as a script argument ('' when none). */
  version(id: string): string {
    const entry = this.runs.get(id);
    return entry ? String(entry.version) : '';
  }

  get(id: string): RunRecord | undefined {
    return this.runs.get(id)?.run;
  }

  /** Keeps `run` as version `version`, unless a newer copy is held already. */
  remember(run: RunRecord, version: number): RunRecord {
    this.versions.set(run, version);
    const held = this.runs.get(run.id);
    if (held && held.version > version) return run;
    this.runs.delete(run.id);
    // A waiting run is not worked on (it may wait for days): holding it would make this process's
    // memory grow with the number of waiting runs, up to the bound. It is read whole when it wakes.
    if (TERMINAL_RUN_STATUSES.has(run.status) || run.status === 'waiting') return run;
    this.runs.set(run.id, { version, run });
    if (this.runs.size > MAX_RUNS) this.runs.delete(this.runs.keys().next().value!);
    return run;
  }

  forget(id: string): void {
    this.runs.delete(id);
  }

  /**
   * Forgets every copy, and the versions of those handed out: after a
   * failover the new master may hold a run at an older version than ours
   * (the dead master's last writes were not replicated), and once another
   * write brings it back to our number, our copy would pass the check.
   */
  clear(): void {
    this.runs.clear();
    this.versions = new WeakMap();
  }

  /**
   * The held copy with some steps replaced, as version `version`: what Redis
   * holds after our write when no other write came between, with the
   * run's status when the write set it too. The steps go through JSON, as
   * they would coming back from Redis.
   */
  withSteps(
    id: string,
    records: readonly string[],
    version: number,
    status?: SettledStatus,
  ): RunRecord | undefined {
    const run = this.previous(id, version);
    if (!run) return undefined;
    const byId = new Map<string, StepRecord>();
    for (const json of records) {
      const record = JSON.parse(json) as StepRecord;
      byId.set(record.id, record);
    }
    const steps = run.steps.map((s) => byId.get(s.id) ?? s);
    return this.remember(copyRun(run, status ? { steps, status } : { steps }), version);
  }

  /** The held copy with a patch applied, as version `version` (see withSteps). */
  withPatch(id: string, patch: RunPatch, version: number): RunRecord | undefined {
    const run = this.previous(id, version);
    if (!run) return undefined;
    const { appendAudit, ...fields } = patch;
    const next: RunRecord = { ...run, ...(JSON.parse(JSON.stringify(fields)) as Partial<RunRecord>) };
    if (appendAudit) next.audit = [...run.audit, JSON.parse(JSON.stringify(appendAudit))];
    return this.remember(next, version);
  }

  /** The copy a write that made `version` was applied to, if it is still the one held. */
  private previous(id: string, version: number): RunRecord | undefined {
    const entry = this.runs.get(id);
    return entry && entry.version === version - 1 ? entry.run : undefined;
  }
}
