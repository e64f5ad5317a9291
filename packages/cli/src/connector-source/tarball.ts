import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { CliError } from '../cli-error';

const run = promisify(execFile);

/** Whether a path names a package tarball (`npm pack`, `pnpm pack`). */
export function isTarball(path: string): boolean {
  return /\.(tgz|tar\.gz|tar)$/.test(path);
}

/** A tarball unpacked into a temporary folder, removed by `remove`. */
export interface Unpacked {
  /** The package's folder inside it (`package/` for npm and pnpm tarballs). */
  folder: string;
  remove(): Promise<void>;
}

/**
 * Unpacks a package tarball with the system's `tar` (every supported OS has
 * one) into a temporary folder. A tarball holds no dependencies: the folder
 * gets a `node_modules` link to the nearest one from `cwd`, where the
 * connector's peers (`@baton/sdk`, `zod`) are installed.
 */
export async function unpackTarball(file: string, cwd: string): Promise<Unpacked> {
  const root = await mkdtemp(join(tmpdir(), 'baton-connector-'));
  const remove = () => rm(root, { recursive: true, force: true });
  try {
    await run('tar', [file.endsWith('.tar') ? '-xf' : '-xzf', file, '-C', root]);
    const entries = await readdir(root);
    const folder = entries.includes('package') ? join(root, 'package') : join(root, entries[0] ?? '');
    const modules = nearestNodeModules(cwd);
    // 'junction' makes the link without admin rights on Windows; elsewhere it is ignored.
    if (modules) await symlink(modules, join(root, 'node_modules'), 'junction');
    return { folder, remove };
  } catch (error) {
    await remove();
    const reason = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    throw new CliError('CONNECTOR_UNREADABLE', `cannot unpack ${file}: ${reason}`, {
      exitCode: 2,
      cause: error,
    });
  }
}

/** The `node_modules` folder Node would search first from `folder`. */
export function nearestNodeModules(folder: string): string | undefined {
  for (let current = folder; ; current = dirname(current)) {
    const candidate = join(current, 'node_modules');
    if (existsSync(candidate)) return candidate;
    if (dirname(current) === current) return undefined;
  }
}
