import type { CompiledFlow } from '../compile/compile-flow';
import type { Hub } from './load-hub';
import { type ReloadHubOptions, reloadHub } from './reload-hub';

/** What one reload did: the flows now current, or why nothing changed. */
export type ReloadOutcome =
  | {
      ok: true;
      /** Every flow now current for new runs, with its version. */
      flows: Array<{ id: string; version: string }>;
      /** What changed in baton.config.json that only a restart applies (see `reloadHub`). */
      restartNeeded: string[];
    }
  | { ok: false; diagnostics: string[] };

/** The part of the engine a reload needs (`Engine.reload`). */
export interface ReloadableEngine {
  reload(flows: CompiledFlow[]): Promise<{ flows: Array<{ id: string; version: string }> }>;
}

/** A process's one way to reload its hub: `SIGHUP`, `POST /api/reload` and `--watch` share it. */
export interface HubReloader {
  /** The hub as last reloaded (the one loaded at start-up until a reload succeeds). */
  readonly hub: Hub;
  /**
   * Reads the config and flow files again and, when they check out, makes
   * their flows current for new runs (`engine.reload`, in every process on
   * Redis). Reloads asked for while one runs wait for it, so two never
   * interleave. Never throws for an invalid change: the outcome says why.
   */
  reload(): Promise<ReloadOutcome>;
}

/**
 * Reloads `hub`'s flows into `engine` on demand; `onReloaded` hears of each
 * new hub (the gateway keeps it for its routes).
 *
 * @example
 * ```ts
 * const reloader = createHubReloader(hub, engine);
 * process.on('SIGHUP', async () => console.log(await reloader.reload()));
 * ```
 */
export function createHubReloader(
  hub: Hub,
  engine: ReloadableEngine,
  options: ReloadHubOptions & { onReloaded?: (hub: Hub) => void } = {},
): HubReloader {
  let current = hub;
  let queue: Promise<unknown> = Promise.resolve();
  const reloadOnce = async (): Promise<ReloadOutcome> => {
    const reload = await reloadHub(current, options);
    if (!reload.ok) return reload;
    const { flows } = await engine.reload(reload.flows);
    current = reload.hub;
    options.onReloaded?.(current);
    return { ok: true, flows, restartNeeded: reload.restartNeeded };
  };
  return {
    get hub() {
      return current;
    },
    reload() {
      const outcome = queue.then(reloadOnce);
      queue = outcome.catch(() => undefined);
      return outcome;
    },
  };
}
