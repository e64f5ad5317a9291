import type { Backend } from '../backend/types';
import type { CompiledFlow } from '../compile/compile-flow';
import type { EngineLogger } from '../log/logger';
import type { FlowCatalog } from './flow-catalog';

/** How often a process reads the current versions (a reload notice it missed) and prunes definitions. */
const FOLLOW_EVERY_MS = 60_000;
const PRUNE_EVERY_MS = 10 * 60_000;

/** What a reload answers: the flows now current, with their versions. */
export interface ReloadResult {
  flows: Array<{ id: string; version: string }>;
}

/**
 * Flow versions across the processes of a hub. A reload stores the new
 * definitions, makes them current in the backend, switches this process
 * and tells the others, which read the current versions from the backend
 * and switch too (they need no flow files). A process starting up does the
 * same with the flows it loaded, over the current ones (a restart is a
 * reload). Runs in flight keep their versions: see `FlowCatalog.flowOf`.
 */
export function flowReloads(deps: {
  catalog: FlowCatalog;
  backend: Backend;
  log: EngineLogger;
  /** Called after the current flows changed in this process: the schedules follow them. */
  onSwitch: (flows: CompiledFlow[]) => Promise<void>;
  now: () => number;
}) {
  const { catalog, backend, log } = deps;
  const store = backend.flowVersions;
  // One change at a time in this process: reloads and notices apply in order.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work, work);
    chain = next.catch(() => undefined);
    return next;
  };
  let lastPrune = deps.now();

  async function switchTo(flows: CompiledFlow[]): Promise<void> {
    catalog.use(flows);
    await deps.onSwitch(flows);
  }

  /** Switches to the backend's current versions when they differ from this process's. */
  const follow = () =>
    serial(async () => {
      const flows = await catalog.fetchCurrent();
      if (!flows) return;
      await switchTo(flows);
      log.info({ flows: flows.map((f) => `${f.id}@${f.version}`) }, 'flows reloaded by another process');
    });

  async function prune(): Promise<void> {
    lastPrune = deps.now();
    const dropped = await store.prune();
    if (dropped > 0) log.info({ dropped }, 'dropped flow definitions no run uses');
  }

  const offReload = store.onReload(() => {
    follow().catch((err: unknown) => log.warn({ err }, 'could not follow a reload'));
  });
  const timer = setInterval(() => {
    follow().catch((err: unknown) => log.warn({ err }, 'could not read the current flow versions'));
    if (deps.now() - lastPrune >= PRUNE_EVERY_MS) {
      prune().catch((err: unknown) => log.warn({ err }, 'could not prune flow definitions'));
    }
  }, FOLLOW_EVERY_MS);
  timer.unref();

  /** Publishes this process's flows over the current ones, or follows the hub's when it loaded none. */
  const started = serial(async () => {
    const flows = [...catalog.current.values()];
    if (flows.length === 0) {
      const current = await catalog.fetchCurrent();
      if (current) await switchTo(current);
      return;
    }
    await catalog.storeDefinitions(flows);
    const current = await store.current();
    for (const flow of flows) current[flow.id] = flow.version;
    await store.setCurrent(current);
    await store.publishReload();
  }).catch((err: unknown) => log.warn({ err }, 'could not publish the loaded flow versions'));

  return {
    /** Stores `flows`, makes them the current versions everywhere and answers them with their versions. */
    reload: (flows: CompiledFlow[]): Promise<ReloadResult> =>
      serial(async () => {
        await started;
        await catalog.storeDefinitions(flows);
        await store.setCurrent(Object.fromEntries(flows.map((f) => [f.id, f.version])));
        await switchTo(flows);
        await store.publishReload().catch((err: unknown) => {
          // Others still switch within a minute, when they next read the current versions.
          log.warn({ err }, 'could not tell other processes about a reload');
        });
        prune().catch((err: unknown) => log.warn({ err }, 'could not prune flow definitions'));
        return { flows: flows.map((f) => ({ id: f.id, version: f.version })) };
      }),
    /** Resolves once the flows loaded at start are published (or found current). */
    started,
    follow,
    stop(): void {
      offReload();
      clearInterval(timer);
    },
  };
}
