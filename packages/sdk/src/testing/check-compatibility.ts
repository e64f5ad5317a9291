import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diffManifests, formatChange, type ManifestDiff } from '../compat/diff-manifests';
import { type ConnectorManifest, connectorManifest } from '../manifest';
import type { Connector } from '../types';
import { findChangesetFolder, pendingBumps } from './changesets';

/** Options of `checkCompatibility`. */
export interface CompatibilityOptions {
  /** The connector package's folder, where its `package.json` is: `new URL('..', import.meta.url)` from `src/`. */
  packageDir: string | URL;
  /**
   * The baseline: the manifest of the last published version, relative to `packageDir`.
   * @default 'compat/manifest.json'
   */
  baseline?: string;
  /**
   * The folder of pending changesets.
   * @default the nearest `.changeset` folder from `packageDir` upwards
   */
  changesets?: string;
  /**
   * Write the baseline from `connector` instead of checking against it (after
   * `changeset version`, for the version about to be published).
   * @default process.env.BATON_COMPAT_UPDATE === '1'
   */
  update?: boolean;
}

/** What `checkCompatibility` found. */
export interface CompatibilityReport {
  packageName: string;
  version: string;
  /** The baseline file, absolute. */
  baselineFile: string;
  /**
   * `missing`: no baseline, nothing published yet, nothing to compare;
   * `written`: the baseline was written (`update`); `compared`: checked against it.
   */
  baseline: 'missing' | 'written' | 'compared';
  /** The version the baseline describes. */
  baselineVersion?: string;
  /** The changes from the baseline to `connector`, once compared. */
  diff?: ManifestDiff;
  /** What allows the breaking changes: a changeset asking for a major bump, or a version already a major above the baseline's. */
  allowedBy?: string;
  /** One line per breaking change nothing allows, then what to do; empty when the check passes. */
  problems: string[];
}

/**
 * Checks a connector against the manifest of its last published version
 * (its baseline, a committed file): a breaking change to its config or to
 * an action's input or output (see `diffManifests`) passes only when a
 * pending changeset asks for a `major` bump of the package, or when the
 * package's version is already a major above the baseline's. Without a
 * baseline there is nothing published to break, and the check passes.
 *
 * Write the baseline when you release: `BATON_COMPAT_UPDATE=1` (or
 * `update: true`) writes it from `connector` with the package's version.
 *
 * @example
 * ```ts
 * import { checkCompatibility } from '@baton/sdk/testing';
 * import connector from './index';
 *
 * it('breaks no flow without a major version', async () => {
 *   const report = await checkCompatibility(connector, { packageDir: new URL('..', import.meta.url) });
 *   expect(report.problems).toEqual([]);
 * });
 * ```
 */
export async function checkCompatibility(
  connector: Connector,
  options: CompatibilityOptions,
): Promise<CompatibilityReport> {
  const packageDir =
    typeof options.packageDir === 'string' ? options.packageDir : fileURLToPath(options.packageDir);
  const pkg = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const baselineFile = join(packageDir, options.baseline ?? 'compat/manifest.json');
  const report: CompatibilityReport = {
    packageName: pkg.name,
    version: pkg.version,
    baselineFile,
    baseline: 'missing',
    problems: [],
  };
  const current = baselineOf(connectorManifest(connector, pkg.version));
  if (options.update ?? process.env.BATON_COMPAT_UPDATE === '1') {
    await mkdir(dirname(baselineFile), { recursive: true });
    await writeFile(baselineFile, `${JSON.stringify(current, null, 2)}\n`);
    return { ...report, baseline: 'written' };
  }
  if (!existsSync(baselineFile)) return report;

  const baseline = JSON.parse(await readFile(baselineFile, 'utf8')) as ConnectorManifest;
  const diff = diffManifests(baseline, current);
  const compared: CompatibilityReport = {
    ...report,
    baseline: 'compared',
    ...(baseline.version ? { baselineVersion: baseline.version } : {}),
    diff,
  };
  if (diff.verdict !== 'breaking') return compared;

  const allowedBy = await majorAllowance(packageDir, pkg, baseline.version, options.changesets);
  if (allowedBy) return { ...compared, allowedBy };
  const breaking = diff.changes.filter((c) => c.severity !== 'additive').map(formatChange);
  const where = relative(packageDir, baselineFile);
  return {
    ...compared,
    problems: [
      ...breaking,
      `these changes break flows written for ${pkg.name}@${baseline.version ?? '(baseline)'} (${where}): add a changeset with "${pkg.name}": major, or keep the old shape beside the new one`,
    ],
  };
}

/** A manifest as a baseline keeps it: examples are not part of the contract and only make the file longer. */
function baselineOf(manifest: ConnectorManifest): ConnectorManifest {
  const actions = Object.fromEntries(
    Object.entries(manifest.actions).map(([name, { examples: _examples, ...action }]) => [name, action]),
  );
  return { ...manifest, actions };
}

async function majorAllowance(
  packageDir: string,
  pkg: { name: string; version: string },
  baselineVersion: string | undefined,
  changesets: string | undefined,
): Promise<string | undefined> {
  const major = (version: string | undefined) => Number(/^(\d+)\./.exec(version ?? '')?.[1] ?? Number.NaN);
  if (major(pkg.version) > major(baselineVersion))
    return `version ${pkg.version} (baseline ${baselineVersion})`;
  const folder = changesets ?? findChangesetFolder(packageDir);
  if (!folder || !existsSync(folder)) return undefined;
  const found = (await pendingBumps(folder, pkg.name)).find((b) => b.bump === 'major');
  return found ? `changeset ${relative(packageDir, found.file)}` : undefined;
}
