import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packPackage, repoRoot, tempDir } from './workspace';

/**
 * Packs workspace packages (built by the global setup) the way a user gets
 * them: `pnpm pack` tarballs with `dist`.
 */
export async function packWorkspace(folders: string[]) {
  const dir = await tempDir('baton-pack-');
  const tarballs: Record<string, string> = {};
  for (const folder of folders) {
    const json = JSON.parse(await readFile(join(repoRoot, folder, 'package.json'), 'utf8')) as {
      name: string;
    };
    tarballs[json.name] = await packPackage(folder, dir.path);
  }
  return { tarballs, remove: dir.remove };
}
