import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headings, linkedPaths, linkTargets, type MarkdownFile, readMarkdown } from './markdown';

/**
 * Links between the docs resolve: every relative link of a docs page, and
 * of the READMEs that point into the docs, names a file or folder that
 * exists, and every `#anchor` names a heading of its page (GitHub's slugs).
 */

const files = await Promise.all(linkedPaths().map(readMarkdown));
const byPath = new Map(files.map((f) => [f.path, f]));

async function anchorsOf(path: string): Promise<Set<string>> {
  const file: MarkdownFile = byPath.get(path) ?? (await readMarkdown(path));
  return new Set(headings(file).map((h) => h.anchor));
}

describe.each(files.map((f) => [f.name, f] as const))('%s', (_name, file) => {
  it('has only links that resolve', async () => {
    const broken: string[] = [];
    for (const { url, line } of linkTargets(file)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(url)) continue; // http:, https:, mailto: …
      const [rawPath = '', anchor] = url.split('#') as [string, string | undefined];
      const path = rawPath === '' ? file.path : resolve(dirname(file.path), decodeURIComponent(rawPath));
      if (!existsSync(path)) {
        broken.push(`line ${line}: ${url} (no ${rawPath})`);
        continue;
      }
      if (anchor && path.endsWith('.md') && !(await anchorsOf(path)).has(decodeURIComponent(anchor))) {
        broken.push(`line ${line}: ${url} (no heading #${anchor})`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('the docs map', () => {
  it('links every page of docs/', async () => {
    const map = byPath.get(join(dirname(new URL(import.meta.url).pathname), '../../docs/README.md'));
    const docs = files.filter((f) => f.name.startsWith('docs/') && f.name !== 'docs/README.md');
    expect(map).toBeDefined();
    const targets = new Set(
      linkTargets(map!).map(({ url }) => resolve(dirname(map!.path), decodeURIComponent(url.split('#')[0]!))),
    );
    expect(docs.filter((f) => !targets.has(f.path)).map((f) => f.name)).toEqual([]);
  });
});
