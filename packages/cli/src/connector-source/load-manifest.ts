import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { importConnector } from '@baton/runtime/internal';
import { isBatonError } from '@baton/sdk';
import { type ConnectorManifest, connectorManifest } from '@baton/sdk/host';
import { CliError } from '../cli-error';
import { readPackage } from './package-entry';
import { isTarball, unpackTarball } from './tarball';

/** A connector version read for a comparison. */
export interface LoadedManifest {
  manifest: ConnectorManifest;
  /** What it was read from: a manifest file, a folder, a tarball or an installed package. */
  from: 'manifest' | 'folder' | 'tarball' | 'package';
  packageName?: string;
}

/**
 * Reads the manifest of one version of a connector, named on the command
 * line as a manifest JSON file (a baseline, `compat/manifest.json`), a
 * connector package folder (its built entry is imported), a package tarball,
 * a built module, or a package name installed where the command runs.
 * Errors are `CliError`s with exit code 2.
 */
export async function loadManifest(spec: string, cwd: string): Promise<LoadedManifest> {
  const path = resolve(cwd, spec);
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) return { ...(await fromFolder(path, spec)), from: 'folder' };
    if (path.endsWith('.json')) return { manifest: await fromManifestFile(path, spec), from: 'manifest' };
    if (isTarball(path)) {
      const unpacked = await unpackTarball(path, cwd);
      try {
        return { ...(await fromFolder(unpacked.folder, spec)), from: 'tarball' };
      } finally {
        await unpacked.remove();
      }
    }
    return { manifest: connectorManifest(await importFrom(path, spec)), from: 'folder' };
  }
  const installed = installedPackage(spec, cwd);
  if (installed) return { ...(await fromFolder(installed, spec)), from: 'package' };
  throw new CliError(
    'CONNECTOR_SOURCE_NOT_FOUND',
    `"${spec}" is not a file, a folder or a package installed from ${cwd}; give a connector folder, a tarball (npm pack NAME@VERSION makes one of a published version) or a manifest file`,
    { exitCode: 2 },
  );
}

async function fromFolder(folder: string, spec: string) {
  const pkg = await readPackage(folder, spec);
  if (!existsSync(pkg.entry)) {
    const sources = existsSync(join(folder, 'src')) ? ' (its sources are TypeScript in src/)' : '';
    throw new CliError(
      'CONNECTOR_NOT_BUILT',
      `${spec}: ${relative(folder, pkg.entry)} does not exist${sources}; build it first (npm run build)`,
      { exitCode: 2 },
    );
  }
  const connector = await importFrom(pkg.entry, spec);
  return {
    manifest: connectorManifest(connector, pkg.version),
    ...(pkg.name ? { packageName: pkg.name } : {}),
  };
}

async function importFrom(file: string, spec: string) {
  try {
    return await importConnector(file, dirname(file));
  } catch (error) {
    const message = isBatonError(error)
      ? error.message.replace(/^cannot load connector "[^"]*": /, '')
      : String(error);
    // A tarball or a copied folder brings no dependencies: they come from where the command runs.
    const hint = /Cannot find (package|module)/.test(message)
      ? "; run it where the connector's dependencies and its peers (@baton/sdk, zod) are installed, such as the hub's folder"
      : '';
    throw new CliError('CONNECTOR_UNREADABLE', `${spec}: ${message}${hint}`, { exitCode: 2, cause: error });
  }
}

async function fromManifestFile(file: string, spec: string): Promise<ConnectorManifest> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new CliError('CONNECTOR_UNREADABLE', `${spec} is not valid JSON`, { exitCode: 2, cause: error });
  }
  const manifest = value as Partial<ConnectorManifest> | null;
  const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (
    !isObject(manifest) ||
    typeof manifest?.name !== 'string' ||
    !isObject(manifest.config) ||
    !isObject(manifest.actions)
  ) {
    throw new CliError(
      'CONNECTOR_UNREADABLE',
      `${spec} is not a connector manifest (a JSON object with name, config and actions, as compat/manifest.json)`,
      { exitCode: 2 },
    );
  }
  return manifest as ConnectorManifest;
}

/** The folder of a package installed where Node would find it from `cwd`. */
function installedPackage(name: string, cwd: string): string | undefined {
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name)) return undefined;
  for (let current = cwd; ; current = resolve(current, '..')) {
    const candidate = join(current, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (resolve(current, '..') === current) return undefined;
  }
}
