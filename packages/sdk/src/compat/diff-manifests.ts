import type { ConnectorManifest } from '../manifest';
import { compareSchemas } from './compare-schema';
import { sameJson } from './json';
import type { ChangeSeverity, SchemaChange } from './types';

/** One difference between two versions of a connector. */
export interface ManifestChange extends SchemaChange {
  /** The part of the connector that changed: its config, an action as a whole, or an action's input or output. */
  part: 'config' | 'action' | 'input' | 'output';
  /** The action, for every part but `config`. */
  action?: string;
}

/**
 * What upgrading from one version of a connector to another means for the
 * flows that use it: `breaking` when any change is breaking or possibly
 * breaking (a major version), `additive` when there are only additive ones
 * (a minor), `none` when nothing a flow can see changed.
 */
export type ManifestVerdict = 'breaking' | 'additive' | 'none';

/** The result of `diffManifests`. */
export interface ManifestDiff {
  verdict: ManifestVerdict;
  /** Every change: the config's first, then each action's in name order. */
  changes: ManifestChange[];
  /** How many changes of each severity. */
  counts: Record<ChangeSeverity, number>;
}

/**
 * Compares two versions of a connector through their manifests: the config
 * schema (which hubs write), and each action's input (which flows write) and
 * output (which later steps read). A removed action is breaking; a renamed
 * one is a removed one and an added one, and says so when the two have the
 * same schemas. Descriptions and examples are not compared.
 *
 * @example
 * ```ts
 * import { connectorManifest, diffManifests } from '@baton/sdk/host';
 *
 * const diff = diffManifests(baseline, connectorManifest(connector));
 * if (diff.verdict === 'breaking') console.log(diff.changes.map(formatChange).join('\n'));
 * ```
 */
export function diffManifests(before: ConnectorManifest, after: ConnectorManifest): ManifestDiff {
  const changes: ManifestChange[] = [];
  for (const change of compareSchemas(before.config, after.config, 'accepts', { writers: 'hub configs' }))
    changes.push({ ...change, part: 'config' });
  const names = [...new Set([...Object.keys(before.actions), ...Object.keys(after.actions)])].sort();
  for (const action of names) {
    const old = before.actions[action];
    const next = after.actions[action];
    if (old && next) {
      for (const change of compareSchemas(old.input, next.input, 'accepts', { writers: 'flows' }))
        changes.push({ ...change, part: 'input', action });
      for (const change of compareSchemas(old.output, next.output, 'returns'))
        changes.push({ ...change, part: 'output', action });
    } else if (old) {
      const twin = Object.keys(after.actions).find(
        (name) =>
          !before.actions[name] &&
          sameJson(after.actions[name]!.input, old.input) &&
          sameJson(after.actions[name]!.output, old.output),
      );
      const message = twin
        ? `action removed (renamed to "${twin}"? flows that call "${action}" break)`
        : 'action removed: flows that call it break';
      changes.push({
        part: 'action',
        action,
        path: [],
        kind: 'action-removed',
        severity: 'breaking',
        message,
      });
    } else {
      changes.push({
        part: 'action',
        action,
        path: [],
        kind: 'action-added',
        severity: 'additive',
        message: 'new action',
      });
    }
  }
  const counts: Record<ChangeSeverity, number> = { breaking: 0, 'possibly-breaking': 0, additive: 0 };
  for (const change of changes) counts[change.severity]++;
  const verdict: ManifestVerdict =
    counts.breaking + counts['possibly-breaking'] > 0
      ? 'breaking'
      : counts.additive > 0
        ? 'additive'
        : 'none';
  return { verdict, changes, counts };
}

/**
 * Where a change is, as a user reads it: `config.apiKey`,
 * `create-item input.items[].sku`, `create-item output.id`, `create-item`.
 */
export function changeLocation(change: ManifestChange): string {
  const fields = change.path.reduce(
    (text, segment) =>
      segment.startsWith('[') || segment.startsWith('(') ? `${text}${segment}` : `${text}.${segment}`,
    change.part === 'action' ? '' : change.part,
  );
  return change.action ? `${change.action}${fields ? ` ${fields}` : ''}` : fields;
}

/** A change on one line: `create-item input.name: now required (breaking)`. */
export function formatChange(change: ManifestChange): string {
  return `${changeLocation(change)}: ${change.message} (${change.severity})`;
}
