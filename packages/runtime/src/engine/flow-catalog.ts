import type { FlowVersionStore } from '../backend/types';
import { type CompiledFlow, compileFlow } from '../compile/compile-flow';
import { canonicalJson } from '../compile/flow-version';
import type { Flow } from '../flow/schema';
import type { EngineLogger } from '../log/logger';
import type { CloudEvent, RunRecord } from '../model/run-record';
import { eventWaitKeys, type WaitKeysOf } from './event-waits';

/** Versions other than the current ones kept compiled in a process. @default 64 */
const COMPILED_LIMIT = 64;

/**
 * The flows a process runs: the current version of each (what new runs
 * start on) in `current`, a map kept and changed in place (the engine
 * hands it out as `engine.flows`), and older versions compiled on demand
 * from the backend's definitions for the runs that started on them.
 */
export class FlowCatalog {
  /** Older versions, by `<flowId>@<version>`, least recently used first. */
  private readonly compiled = new Map<string, CompiledFlow>();
  private waitKeys: WaitKeysOf;

  constructor(
    readonly current: Map<string, CompiledFlow>,
    private readonly store: FlowVersionStore,
    private readonly log: EngineLogger,
  ) {
    this.waitKeys = eventWaitKeys(current.values(), log);
  }

  /**
   * The flow `run` runs on: its own version, or the current one for runs
   * recorded before versions existed. Synchronous for the current version
   * (a run's every step asks); a promise when an older version is read from
   * the store; undefined when the flow is gone or the version's definition
   * is no longer kept.
   */
  flowOf(run: RunRecord): CompiledFlow | undefined | Promise<CompiledFlow | undefined> {
    const current = this.current.get(run.flow);
    if (run.flowVersion === undefined || current?.version === run.flowVersion) return current;
    const key = `${run.flow}@${run.flowVersion}`;
    const compiled = this.compiled.get(key);
    if (!compiled) return this.load(run.flow, run.flowVersion);
    this.compiled.delete(key);
    this.compiled.set(key, compiled);
    return compiled;
  }

  /** A version's definition, current or kept in the store. */
  async definition(flowId: string, version: string): Promise<Flow | undefined> {
    const known = this.current.get(flowId);
    if (known?.version === version) return known.flow;
    const compiled = this.compiled.get(`${flowId}@${version}`);
    if (compiled) return compiled.flow;
    const json = await this.store.get(flowId, version);
    return json === undefined ? undefined : (JSON.parse(json) as Flow);
  }

  /** The keys an incoming event may end waits with, across the versions this process knows. */
  waitKeysOf(event: CloudEvent): ReturnType<WaitKeysOf> {
    return this.waitKeys(event);
  }

  /** Stores the flows' definitions (a version stored already is left alone). */
  async storeDefinitions(flows: readonly CompiledFlow[]): Promise<void> {
    for (const flow of flows) await this.store.put(flow.id, flow.version, canonicalJson(flow.flow));
  }

  /** Makes `flows` the current versions here; the versions they replace stay compiled for their runs. */
  use(flows: readonly CompiledFlow[]): void {
    for (const old of this.current.values()) this.remember(old);
    this.current.clear();
    for (const flow of flows) {
      this.current.set(flow.id, flow);
      this.compiled.delete(`${flow.id}@${flow.version}`);
    }
    // Runs still waiting on an older version's wait step are ended by events its eventKey reads.
    this.waitKeys = eventWaitKeys([...this.current.values(), ...this.compiled.values()], this.log);
  }

  /**
   * The store's current versions, compiled: the ones this process has
   * already, the others from their stored definitions. Undefined when
   * nothing changed.
   */
  async fetchCurrent(): Promise<CompiledFlow[] | undefined> {
    const versions = await this.store.current();
    const ids = Object.keys(versions);
    const same =
      ids.length === this.current.size && ids.every((id) => this.current.get(id)?.version === versions[id]);
    if (same || ids.length === 0) return undefined;
    const flows: CompiledFlow[] = [];
    for (const [flowId, version] of Object.entries(versions)) {
      const known = this.current.get(flowId);
      const flow = known?.version === version ? known : await this.load(flowId, version);
      if (!flow) {
        this.log.warn(
          { flow: flowId, version },
          'a current flow version has no stored definition; keeping ours',
        );
        if (known) flows.push(known);
        continue;
      }
      flows.push(flow);
    }
    return flows;
  }

  private async load(flowId: string, version: string): Promise<CompiledFlow | undefined> {
    const json = await this.store.get(flowId, version);
    if (json === undefined) {
      this.log.warn({ flow: flowId, version }, 'the definition of a flow version is no longer kept');
      return undefined;
    }
    const flow = compileFlow(JSON.parse(json) as Flow);
    this.remember(flow);
    return flow;
  }

  private remember(flow: CompiledFlow): void {
    const key = `${flow.id}@${flow.version}`;
    this.compiled.delete(key);
    this.compiled.set(key, flow);
    if (this.compiled.size > COMPILED_LIMIT) this.compiled.delete(this.compiled.keys().next().value!);
  }
}
