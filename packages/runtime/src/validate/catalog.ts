import type { ActionManifest, ConnectorManifest } from '@baton/sdk/host';
import { didYouMean, quoteList } from '../diagnostics/suggest';

/**
 * What validation knows of the connectors: each instance's manifest, by
 * instance name, or `null` for an instance whose module failed to load
 * (that failure is reported once, on the config; steps using it are not).
 */
export type ConnectorCatalog = ReadonlyMap<string, ConnectorManifest | null>;

/** The outcome of looking up `<instance>.<action>`. */
export type ActionLookup =
  | { kind: 'found'; manifest: ActionManifest }
  | { kind: 'unchecked' }
  | { kind: 'missing'; code: 'STEP_UNKNOWN_CONNECTOR' | 'STEP_UNKNOWN_ACTION'; text: string };

/** Finds an action in the catalog, with a message that helps when it is not there. */
export function lookupAction(catalog: ConnectorCatalog, action: string): ActionLookup {
  const dot = action.indexOf('.');
  const instance = action.slice(0, dot);
  const name = action.slice(dot + 1);
  if (!catalog.has(instance)) {
    const names = [...catalog.keys()];
    const hint = names.length ? didYouMean(instance, names) : '; it declares no connectors';
    return {
      kind: 'missing',
      code: 'STEP_UNKNOWN_CONNECTOR',
      text: `no connector instance "${instance}" in baton.config.json${hint}`,
    };
  }
  const manifest = catalog.get(instance);
  if (!manifest) return { kind: 'unchecked' };
  const found = Object.hasOwn(manifest.actions, name) ? manifest.actions[name] : undefined;
  if (found) return { kind: 'found', manifest: found };
  const actions = Object.keys(manifest.actions);
  const hint =
    didYouMean(name, actions) || (actions.length ? `; it has ${quoteList(actions)}` : '; it has no actions');
  return {
    kind: 'missing',
    code: 'STEP_UNKNOWN_ACTION',
    text: `connector "${instance}" (${manifest.name}) has no action "${name}"${hint}`,
  };
}
