import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const exec = promisify(execFile);

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A fresh temporary folder, removed by the returned `remove`. */
export async function tempDir(prefix = 'baton-test-') {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** The pnpm binary: the one on PATH, as `.ci/run` installs it. */
export const pnpm = process.env.PNPM_BIN ?? 'pnpm';

/** Packs a built workspace package with `pnpm pack` and returns the tarball path. */
export async function packPackage(folder: string, destination: string): Promise<string> {
  await exec(pnpm, ['pack', '--pack-destination', destination], { cwd: join(repoRoot, folder) });
  const tarballs = (await readdir(destination)).filter((f) => f.endsWith('.tgz'));
  const name = folder.split('/').pop()!;
  const match = tarballs.find((t) => t.includes(`-${name}-`));
  if (!match) throw new Error(`no tarball for ${folder} in ${destination}: ${tarballs.join(', ')}`);
  return join(destination, match);
}
