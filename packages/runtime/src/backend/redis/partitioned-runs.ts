import type {
  ItemRecord,
  RunRecord,
  RunStatus,
  RunSummary,
  StepRecord,
  StepStatus,
} from '../../model/run-record';
import {
  type OrderTurn,
  type PutStepsOptions,
  putStepVia,
  type RunPatch,
  type RunQuery,
  type RunStore,
  type StepWrite,
} from '../types';
import { groupByPartition, type Partitions } from './partitions';
import type { RedisRunStore } from './run-store';

/**
 * The runs of a partitioned hub: each call goes to the partition its run
 * id hashes to (one store per partition, each as on a hub of one), and
 * listing reads every partition and merges. A page of `limit` runs reads at
 * most `limit + 1` rows per partition: run ids sort by creation time across
 * partitions, so the cursor (the last id shown) means the same in each.
 */
export class PartitionedRunStore implements RunStore {
  constructor(
    private readonly partitions: Partitions,
    readonly stores: readonly RedisRunStore[],
  ) {}

  private of(runId: string): RedisRunStore {
    return this.stores[this.partitions.ofRun(runId)]!;
  }

  async create(runs: readonly RunRecord[]): Promise<void> {
    const groups = groupByPartition(runs, (run) => this.partitions.ofRun(run.id));
    await Promise.all([...groups].map(([p, group]) => this.stores[p]!.create(group)));
  }

  get(id: string): Promise<RunRecord | undefined> {
    return this.of(id).get(id);
  }

  putStep(
    runId: string,
    step: StepRecord,
    options: { ifStatus?: readonly StepStatus[] } = {},
  ): Promise<RunRecord | undefined> {
    return putStepVia(this, runId, step, options);
  }

  putSteps(
    runId: string,
    writes: readonly StepWrite[],
    options: PutStepsOptions = {},
  ): Promise<{ written: boolean[]; run?: RunRecord } | undefined> {
    return this.of(runId).putSteps(runId, writes, options);
  }

  putItem(runId: string, stepId: string, item: ItemRecord): Promise<ItemRecord[]> {
    return this.of(runId).putItem(runId, stepId, item);
  }

  items(runId: string, stepId: string): Promise<ItemRecord[]> {
    return this.of(runId).items(runId, stepId);
  }

  patch(
    runId: string,
    patch: RunPatch,
    options: { onlyIfActive?: boolean } = {},
  ): Promise<RunRecord | undefined> {
    return this.of(runId).patch(runId, patch, options);
  }

  turn(run: Pick<RunRecord, 'id' | 'flow' | 'orderKey'>): Promise<OrderTurn | undefined> {
    return this.of(run.id).turn(run);
  }

  async list(query: RunQuery): Promise<{ runs: RunSummary[]; next?: string }> {
    const limit = Math.max(1, Math.min(query.limit ?? 50, 500));
    const pages = await Promise.all(this.stores.map((store) => store.list({ ...query, limit })));
    const merged = pages
      .flatMap((page) => page.runs)
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    // More to show when the merge overflows the page, or a partition has a page after its own.
    const more = merged.length > limit || pages.some((page) => page.next !== undefined);
    const runs = merged.slice(0, limit);
    return more && runs.length > 0 ? { runs, next: runs.at(-1)!.id } : { runs };
  }

  async counts(): Promise<Record<RunStatus, number>> {
    const all = await Promise.all(this.stores.map((store) => store.counts()));
    const sum = { ...all[0]! };
    for (const counts of all.slice(1))
      for (const status of Object.keys(sum) as RunStatus[]) sum[status] += counts[status];
    return sum;
  }

  forgetCopies(): void {
    for (const store of this.stores) store.forgetCopies();
  }

  async trim(): Promise<void> {
    await Promise.all(this.stores.map((store) => store.trim()));
  }
}
