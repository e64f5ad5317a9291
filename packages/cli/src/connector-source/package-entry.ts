import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError } from '../cli-error';

/** What a connector package's `package.json` says of it. */
export interface PackageInfo {
  name?: string;
  version?: string;
  /** The module Node imports for the package, absolute; it may not exist (not built). */
  entry: string;
}

/** Conditions read in an `exports` entry, in order: what Node's `import` would use, never the sources. */
const CONDITIONS = ['import', 'node', 'default'];

function pick(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) return target.map(pick).find(Boolean);
  if (target === null || typeof target !== 'object') return undefined;
  const conditions = target as Record<string, unknown>;
  for (const condition of CONDITIONS) {
    const found = condition in conditions ? pick(conditions[condition]) : undefined;
    if (found) return found;
  }
  return undefined;
}

/**
 * Reads a package folder's `package.json`: its name, version and the module
 * `import` of the package loads (`exports["."]`, else `module`, else `main`,
 * else `index.js`).
 */
export async function readPackage(folder: string, label: string): Promise<PackageInfo> {
  const file = join(folder, 'package.json');
  if (!existsSync(file)) {
    throw new CliError(
      'CONNECTOR_SOURCE_NOT_FOUND',
      `${label} is a folder without a package.json: not a connector package`,
      {
        exitCode: 2,
      },
    );
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new CliError('CONNECTOR_UNREADABLE', `${label}: package.json is not valid JSON`, {
      exitCode: 2,
      cause: error,
    });
  }
  const exports = json.exports;
  const root =
    exports !== null && typeof exports === 'object' && !Array.isArray(exports) && '.' in exports
      ? (exports as Record<string, unknown>)['.']
      : exports;
  const relative =
    pick(root) ??
    (typeof json.module === 'string' ? json.module : undefined) ??
    (typeof json.main === 'string' ? json.main : 'index.js');
  return {
    ...(typeof json.name === 'string' ? { name: json.name } : {}),
    ...(typeof json.version === 'string' ? { version: json.version } : {}),
    entry: join(folder, relative),
  };
}
