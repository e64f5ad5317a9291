import { DEFAULT_PRUNE_GRACE_MS, mayDrop, versionKey } from '../flow-version-keep';
import type { FlowVersionStore, RunStore } from '../types';

/** Flow definitions in process memory: the embedded backend has one process, so a reload tells only it. */
export class EmbeddedFlowVersions implements FlowVersionStore {
  private readonly definitions = new Map<string, string>();
  private readonly retired = new Map<string, number>();
  private currentVersions: Record<string, string> = {};
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly runs: RunStore,
    private readonly now: () => number,
  ) {}

  async put(flowId: string, version: string, json: string): Promise<void> {
    const key = versionKey(flowId, version);
    if (!this.definitions.has(key)) this.definitions.set(key, json);
  }

  async get(flowId: string, version: string): Promise<string | undefined> {
    return this.definitions.get(versionKey(flowId, version));
  }

  async current(): Promise<Record<string, string>> {
    return { ...this.currentVersions };
  }

  async setCurrent(current: Readonly<Record<string, string>>): Promise<void> {
    const at = this.now();
    for (const [flowId, version] of Object.entries(this.currentVersions)) {
      if (current[flowId] !== version) this.retired.set(versionKey(flowId, version), at);
    }
    for (const [flowId, version] of Object.entries(current)) this.retired.delete(versionKey(flowId, version));
    this.currentVersions = { ...current };
  }

  async prune(options: { graceMs?: number } = {}): Promise<number> {
    const current = new Set(Object.entries(this.currentVersions).map(([f, v]) => versionKey(f, v)));
    const inUse = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await this.runs.list({ limit: 500, ...(cursor ? { cursor } : {}) });
      for (const summary of page.runs) {
        const run = await this.runs.get(summary.id);
        if (run?.flowVersion) inUse.add(versionKey(run.flow, run.flowVersion));
      }
      cursor = page.next;
    } while (cursor);
    let dropped = 0;
    for (const key of [...this.definitions.keys()]) {
      const keep = { current, inUse, retiredAt: this.retired.get(key) };
      if (!mayDrop(key, keep, this.now(), options.graceMs ?? DEFAULT_PRUNE_GRACE_MS)) continue;
      this.definitions.delete(key);
      this.retired.delete(key);
      dropped++;
    }
    return dropped;
  }

  async publishReload(): Promise<void> {
    for (const listener of this.listeners) listener();
  }

  onReload(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
