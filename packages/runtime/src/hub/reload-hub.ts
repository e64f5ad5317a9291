import { isBatonError } from '@baton/sdk';
import type { CompiledFlow } from '../compile/compile-flow';
import { canonicalJson } from '../compile/flow-version';
import type { HubConfig } from '../config/schema';
import { type Diagnostic, formatDiagnostic } from '../diagnostics/diagnostic';
import { loadFlowFile } from '../flow/load-flow';
import { type Hub, HubLoadError, loadHub } from './load-hub';

/** Options of `reloadHub`. */
export interface ReloadHubOptions {
  /** Where `{ "$env" }` values come from. @default the environment the hub was loaded with */
  env?: Readonly<Record<string, string | undefined>>;
  /** Absolute file names in the diagnostics are shown relative to this folder. @default process.cwd() */
  cwd?: string;
}

/** What `reloadHub` found: the hub to run from now on, or why the change is refused. */
export type HubReload =
  | {
      ok: true;
      /**
       * The running hub with the new flows: its connector instances,
       * sources, secrets and config are the running ones (see `restartNeeded`).
       */
      hub: Hub;
      /** The compiled flows of the files as they are now (the hub's `flows`). */
      flows: CompiledFlow[];
      /**
       * What changed in baton.config.json that only a restart applies, as
       * config paths: `connectors.<name>` (its `use`, `config`, `egress`,
       * `breaker` or `limits` changed, or it was added or removed),
       * `sources.<name>`, and `dedupWindow`, `retention`, `backlogLimit`,
       * `http`. Empty when the reload applied everything.
       */
      restartNeeded: string[];
    }
  | {
      ok: false;
      /** Every problem, as `baton validate` prints them: `file:line:col message [CODE]`. */
      diagnostics: string[];
    };

/** Settings read once at start-up by the engine, the backend or the gateway. */
const START_UP_SETTINGS = ['dedupWindow', 'retention', 'backlogLimit', 'http'] as const;

/**
 * Reads baton.config.json and the flow files again, with the same loading
 * and checks as start-up (`loadHub`), for a reload without restart. An
 * invalid change is refused with its diagnostics; so is a flow that calls
 * a connector instance (or an action of it) the running hub does not have,
 * since connector code and config are loaded only at start-up. A valid
 * change returns the running hub with the new flows, and lists in
 * `restartNeeded` what changed in the config that only a restart applies.
 * Nothing of `current` is changed; the caller makes the returned flows
 * current (`engine.reload`).
 *
 * @example
 * ```ts
 * const reload = await reloadHub(hub);
 * if (!reload.ok) console.error(reload.diagnostics.join('\n'));
 * else await engine.reload(reload.flows);
 * ```
 */
export async function reloadHub(current: Hub, options: ReloadHubOptions = {}): Promise<HubReload> {
  const cwd = options.cwd ?? process.cwd();
  let next: Hub;
  try {
    next = await loadHub({
      configPath: current.configPath,
      env: options.env ?? current.env,
      conditions: current.conditions,
    });
  } catch (error) {
    if (error instanceof HubLoadError) {
      return { ok: false, diagnostics: error.diagnostics.map((d) => formatDiagnostic(d, { cwd })) };
    }
    // CONFIG_NOT_FOUND, CONFIG_READ_FAILED, SOURCE_SECRET_MISSING: about the config file as a whole.
    if (isBatonError(error)) {
      return { ok: false, diagnostics: [`${current.configPath}:1:1 ${error.message} [${error.code}]`] };
    }
    throw error;
  }
  const notRunning = await flowsCallingMissingInstances(current, next);
  if (notRunning.length > 0) {
    return { ok: false, diagnostics: notRunning.map((d) => formatDiagnostic(d, { cwd })) };
  }
  const hub: Hub = {
    ...current,
    // The running config stays: the next reload compares against what runs, until a restart.
    config: { ...current.config, ...(next.config.flows ? { flows: next.config.flows } : {}) },
    flows: next.flows,
    flowFiles: next.flowFiles,
  };
  return { ok: true, hub, flows: next.flows, restartNeeded: restartNeeded(current.config, next.config) };
}

/** The config paths whose change only a restart applies. */
function restartNeeded(running: HubConfig, edited: HubConfig): string[] {
  const paths: string[] = [];
  for (const section of ['connectors', 'sources'] as const) {
    const before = running[section] ?? {};
    const after = edited[section] ?? {};
    for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (!same(before[name], after[name])) paths.push(`${section}.${name}`);
    }
  }
  for (const setting of START_UP_SETTINGS) {
    if (!same(running[setting], edited[setting])) paths.push(setting);
  }
  return paths;
}

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}

/**
 * Every action of the new flows whose instance does not run in this
 * process, or runs with a connector without that action (its `use` was
 * changed to a connector with other actions): runs of such a flow would
 * fail, so the reload is refused until a restart loads the instance.
 */
async function flowsCallingMissingInstances(current: Hub, next: Hub): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  for (const flow of next.flows) {
    const missing: Array<{ path: (string | number)[]; why: string }> = [];
    for (const step of flow.steps) {
      const routes = [...step.routes.map((route, i) => ({ route, i })), ...compensation(step.compensate)];
      for (const { route, i } of routes) {
        const instance = current.instances.get(route.instance);
        const why = !instance
          ? `connector instance "${route.instance}" is not running: it was added to the config after start-up`
          : !instance.hasAction(route.actionName)
            ? `the running connector of "${route.instance}" has no action "${route.actionName}"`
            : undefined;
        if (why) missing.push({ path: actionPath(flow, step.id, i), why });
      }
    }
    if (missing.length === 0) continue;
    const file = next.flowFiles.get(flow.id)!;
    const { document } = await loadFlowFile(file);
    for (const { path, why } of missing) {
      const text = `${why}; restart to load it`;
      diagnostics.push(
        document
          ? document.diagnostic('STEP_INSTANCE_NOT_RUNNING', path, text)
          : {
              file,
              line: 1,
              col: 1,
              pointer: '',
              code: 'STEP_INSTANCE_NOT_RUNNING',
              message: `/${path.join('/')}: ${text}`,
            },
      );
    }
  }
  return diagnostics;
}

function compensation(route: CompiledFlow['steps'][number]['compensate']) {
  return route ? [{ route, i: -1 }] : [];
}

/** Where a step's route is written: its action (0), a fallback (1…), its compensation (-1). */
function actionPath(flow: CompiledFlow, stepId: string, route: number): (string | number)[] {
  const main = flow.flow.steps.findIndex((s) => s.id === stepId);
  const step: (string | number)[] =
    main >= 0
      ? ['steps', main]
      : ['onFailure', (flow.flow.onFailure ?? []).findIndex((s) => s.id === stepId)];
  if (route === -1) return [...step, 'compensate', 'action'];
  return route === 0 ? [...step, 'action'] : [...step, 'fallback', route - 1, 'action'];
}
