import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** A version bump a changeset asks for. */
export type Bump = 'major' | 'minor' | 'patch' | 'none';

/** One pending changeset's bump for one package. */
export interface PendingBump {
  /** The changeset file. */
  file: string;
  bump: Bump;
}

/** The nearest `.changeset` folder from `folder` upwards, or undefined. */
export function findChangesetFolder(folder: string): string | undefined {
  for (let current = folder; ; current = dirname(current)) {
    const candidate = join(current, '.changeset');
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    if (dirname(current) === current) return undefined;
  }
}

const BUMP_LINE = /^\s*(["']?)(.+?)\1\s*:\s*(major|minor|patch|none)\s*$/;

/**
 * The bumps that the pending changesets in `folder` (the `.md` files
 * besides `README.md`, as `changeset version` reads them) ask for
 * `packageName`.
 */
export async function pendingBumps(folder: string, packageName: string): Promise<PendingBump[]> {
  const files = (await readdir(folder))
    .filter((f) => f.endsWith('.md') && f.toLowerCase() !== 'readme.md')
    .sort();
  const bumps: PendingBump[] = [];
  for (const name of files) {
    const file = join(folder, name);
    const lines = (await readFile(file, 'utf8')).split(/\r?\n/);
    if (lines[0]?.trim() !== '---') continue;
    for (const line of lines.slice(1)) {
      if (line.trim() === '---') break;
      const match = BUMP_LINE.exec(line);
      if (match && match[2] === packageName) bumps.push({ file, bump: match[3] as Bump });
    }
  }
  return bumps;
}
