import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BatonError, type Connector } from '@baton/sdk';
import { isConnector } from '@baton/sdk/host';
import { moduleResolve } from 'import-meta-resolve';
import { importFailure } from './import-failure';

/** Options of `importConnector`. */
export interface ImportConnectorOptions {
  /**
   * Export conditions used to resolve a package name, besides `node` and
   * `import`; tests pass `@baton/source` to load workspace connectors from
   * their TypeScript sources.
   * @default []
   */
  conditions?: readonly string[];
}

/**
 * Imports the connector a `use` names: an npm package resolved from
 * `baseDir` as Node resolves an `import` written in a file there, or a path
 * to an ES module relative to `baseDir`. Its default export must be a
 * connector made with `defineConnector` (from any copy of the SDK).
 *
 * Throws a `BatonError` with code `CONNECTOR_LOAD_FAILED` naming `use` and
 * the reason.
 *
 * @example
 * ```ts
 * const stripe = await importConnector('@baton/connector-stripe', dirname(configPath));
 * ```
 */
export async function importConnector(
  use: string,
  baseDir: string,
  options: ImportConnectorOptions = {},
): Promise<Connector> {
  const url = locate(use, baseDir, options.conditions ?? []);
  let module: { default?: unknown };
  try {
    module = (await import(url)) as { default?: unknown };
  } catch (error) {
    throw failed(use, importFailure(url, error), error);
  }
  const exported = module.default;
  if (isConnector(exported)) return exported;
  // A CommonJS build puts `exports.default` under `default`.
  const nested = (exported as { default?: unknown } | undefined)?.default;
  if (isConnector(nested)) return nested;
  const what = exported === undefined ? 'it has no default export' : 'its default export is not a connector';
  throw failed(use, `${what}; export default defineConnector({ ... }) from @baton/sdk`);
}

/**
 * The package a connector's module belongs to, as `name@version` (the
 * nearest package.json with both, up from the module), or undefined (a
 * module of the hub's own without one, or one that cannot be found).
 * Runs record it, so a run says which connector versions ran it.
 */
export function connectorPackageOf(
  use: string,
  baseDir: string,
  conditions: readonly string[] = [],
): string | undefined {
  try {
    let dir = dirname(fileURLToPath(locate(use, baseDir, conditions)));
    for (;;) {
      const file = join(dir, 'package.json');
      if (existsSync(file)) {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
        if (typeof pkg.name === 'string' && typeof pkg.version === 'string')
          return `${pkg.name}@${pkg.version}`;
      }
      const parent = dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  } catch {
    return undefined;
  }
}

function locate(use: string, baseDir: string, conditions: readonly string[]): string {
  if (isPath(use)) {
    const file = use.startsWith('file:') ? fileURLToPath(use) : resolve(baseDir, use);
    if (!existsSync(file)) throw failed(use, `no file at ${file}`);
    return pathToFileURL(file).href;
  }
  try {
    const base = pathToFileURL(baseDir.endsWith(sep) ? baseDir : `${baseDir}${sep}`);
    return moduleResolve(use, base, new Set(['node', 'import', ...conditions])).href;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason =
      code === 'ERR_MODULE_NOT_FOUND'
        ? `package not found from ${baseDir}; install it there (npm install ${use})`
        : (error as Error).message;
    throw failed(use, reason, error);
  }
}

function isPath(use: string): boolean {
  return use.startsWith('.') || use.startsWith('file:') || isAbsolute(use);
}

function failed(use: string, reason: string, cause?: unknown): BatonError {
  return new BatonError(`cannot load connector "${use}": ${reason}`, {
    code: 'CONNECTOR_LOAD_FAILED',
    ...(cause === undefined ? {} : { cause }),
    details: { use },
  });
}
