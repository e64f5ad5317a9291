import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import GithubSlugger from 'github-slugger';
import type { Code, Heading, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { toString as textOf } from 'mdast-util-to-string';
import { gfm } from 'micromark-extension-gfm';
import { visit } from 'unist-util-visit';
import { repoRoot } from '../helpers/workspace';

/** A Markdown file of the repository, parsed. */
export interface MarkdownFile {
  /** Absolute path. */
  path: string;
  /** Path from the repository root, for messages. */
  name: string;
  text: string;
  tree: Root;
}

/** A fenced code block with where it is and why it is not checked, when it says so. */
export interface CodeBlock {
  lang: string | null;
  value: string;
  /** `docs/x.md:12`, for messages. */
  where: string;
  /** The reason of a `<!-- not-validated: reason -->` comment right before the block. */
  notValidated?: string;
}

/** The docs pages: every Markdown file under docs/. */
export function docPaths(): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (name === 'node_modules') continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.md')) found.push(path);
    }
  };
  walk(join(repoRoot, 'docs'));
  return found.sort();
}

/** The Markdown files whose links into the docs must resolve: the docs, and the READMEs that point at them. */
export function linkedPaths(): string[] {
  const readmes = [
    'README.md',
    'examples/README.md',
    ...['packages', 'connectors'].flatMap((group) =>
      readdirSync(join(repoRoot, group)).map((name) => `${group}/${name}/README.md`),
    ),
  ]
    .map((path) => join(repoRoot, path))
    .filter((path) => existsSync(path));
  return [...docPaths(), ...readmes];
}

export async function readMarkdown(path: string): Promise<MarkdownFile> {
  const text = await readFile(path, 'utf8');
  const tree = fromMarkdown(text, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  return { path, name: relative(repoRoot, path), text, tree };
}

const NOT_VALIDATED = /^<!--\s*not-validated:\s*(.+?)\s*-->$/s;

/** Every fenced code block, with the `not-validated` comment that precedes it, if any. */
export function codeBlocks(file: MarkdownFile): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  visit(file.tree, 'code', (node: Code, index, parent) => {
    const previous = parent && index !== undefined && index > 0 ? parent.children[index - 1] : undefined;
    const reason = previous?.type === 'html' ? NOT_VALIDATED.exec(previous.value.trim())?.[1] : undefined;
    blocks.push({
      lang: node.lang ?? null,
      value: node.value,
      where: `${file.name}:${node.position?.start.line ?? '?'}`,
      ...(reason ? { notValidated: reason } : {}),
    });
  });
  return blocks;
}

/** Every heading with its level, plain text and GitHub anchor, in document order. */
export function headings(file: MarkdownFile): Array<{ depth: number; text: string; anchor: string }> {
  const slugger = new GithubSlugger();
  const found: Array<{ depth: number; text: string; anchor: string }> = [];
  visit(file.tree, 'heading', (node: Heading) => {
    const text = textOf(node);
    found.push({ depth: node.depth, text, anchor: slugger.slug(text) });
  });
  return found;
}

/** Every link and image target of a file, with its line. */
export function linkTargets(file: MarkdownFile): Array<{ url: string; line: number }> {
  const found: Array<{ url: string; line: number }> = [];
  visit(file.tree, (node) => {
    if (node.type === 'link' || node.type === 'image' || node.type === 'definition') {
      found.push({ url: (node as { url: string }).url, line: node.position?.start.line ?? 0 });
    }
  });
  return found;
}
