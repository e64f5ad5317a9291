import { changeLocation, type ManifestChange, type ManifestDiff } from '@baton/sdk/host';
import type pc from 'picocolors';

type Colors = ReturnType<typeof pc.createColors>;

const LABELS: Record<ManifestChange['severity'], string> = {
  breaking: 'breaking',
  'possibly-breaking': 'possibly breaking',
  additive: 'additive',
};

/** The order changes are listed in: what breaks first. */
const ORDER: Array<ManifestChange['severity']> = ['breaking', 'possibly-breaking', 'additive'];

/**
 * The changes between two versions of a connector as a table, one line per
 * change (severity, where, what), breaking ones first, then a verdict line.
 */
export function renderDiff(
  diff: ManifestDiff,
  names: { old: string; new: string },
  colors: Colors,
): string[] {
  const rows = ORDER.flatMap((severity) => diff.changes.filter((c) => c.severity === severity)).map((c) => ({
    severity: c.severity,
    label: LABELS[c.severity],
    where: changeLocation(c),
    what: c.message,
  }));
  const paint = (severity: ManifestChange['severity'], text: string) =>
    severity === 'additive'
      ? colors.green(text)
      : severity === 'breaking'
        ? colors.red(text)
        : colors.yellow(text);
  const width = (key: 'label' | 'where') => Math.max(0, ...rows.map((r) => r[key].length));
  const lines = rows.map(
    (r) =>
      `${paint(r.severity, r.label.padEnd(width('label')))}  ${r.where.padEnd(width('where'))}  ${r.what}`,
  );
  return [...lines, ...(lines.length ? [''] : []), verdictLine(diff, names, colors)];
}

function verdictLine(diff: ManifestDiff, names: { old: string; new: string }, colors: Colors): string {
  const { breaking, additive } = diff.counts;
  const possibly = diff.counts['possibly-breaking'];
  const counted = [
    breaking ? `${breaking} breaking` : '',
    possibly ? `${possibly} possibly breaking` : '',
    additive ? `${additive} additive` : '',
  ]
    .filter(Boolean)
    .join(', ');
  if (diff.verdict === 'none')
    return colors.green(`✓ no change to the config or the actions from ${names.old} to ${names.new}`);
  if (diff.verdict === 'additive')
    return colors.green(
      `✓ ${counted}: flows written for ${names.old} keep working with ${names.new} (a minor version)`,
    );
  return colors.red(
    `✗ ${counted}: flows written for ${names.old} may fail with ${names.new} (a major version)`,
  );
}
