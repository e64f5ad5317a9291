import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DIAGNOSTIC_CODES } from '@baton/runtime';
import { ERROR_CATALOG } from '@baton/sdk';
import { errorAnchor } from '@baton/sdk/host';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/workspace';
import { headings, readMarkdown } from './markdown';

/**
 * Every error code Baton can print or answer is in the one catalog
 * (`ERROR_CATALOG` in @baton/sdk), or is a load-time diagnostic
 * (`DIAGNOSTIC_CODES`, findings rather than raised errors); each one has a
 * `### CODE` entry in docs/troubleshooting.md, and the other way round. A
 * scan of the sources keeps the catalog honest: a code thrown anywhere must
 * be in it.
 */

const TABLES: Record<string, Record<string, unknown>> = { ERROR_CATALOG, DIAGNOSTIC_CODES };

const listed = new Map<string, string[]>();
for (const [table, codes] of Object.entries(TABLES)) {
  for (const code of Object.keys(codes)) listed.set(code, [...(listed.get(code) ?? []), table]);
}

const guide = await readMarkdown(join(repoRoot, 'docs/troubleshooting.md'));
const entries = headings(guide)
  .filter((h) => h.depth === 3)
  .map((h) => h.text);

describe('docs/troubleshooting.md', () => {
  it('has an entry for every code in the tables', () => {
    const missing = [...listed.keys()].filter((code) => !entries.includes(code));
    expect(missing.map((code) => `${code} (${listed.get(code)!.join(', ')})`)).toEqual([]);
  });

  it('has no entry for a code that no table lists', () => {
    expect(entries.filter((code) => !listed.has(code))).toEqual([]);
  });

  it('has the anchor the catalog links each code to', () => {
    const anchors = new Set(headings(guide).map((h) => h.anchor));
    expect(Object.keys(ERROR_CATALOG).filter((code) => !anchors.has(errorAnchor(code)))).toEqual([]);
  });

  it('lists each code once', () => {
    expect(entries.filter((code, i) => entries.indexOf(code) !== i)).toEqual([]);
  });

  it('gives every entry a cause and a fix', () => {
    const text = guide.text;
    const thin = entries.filter((code) => {
      const start = text.indexOf(`### ${code.replace('<', '\\<').replace('>', '\\>')}\n`);
      const end = text.indexOf('\n#', start + 4);
      const body = text.slice(start, end === -1 ? undefined : end);
      return start === -1 || !/\*\*Cause\*\*/.test(body) || !/\*\*Fix\*\*/.test(body);
    });
    expect(thin).toEqual([]);
  });
});

/** Codes thrown in the sources: `code: 'X'` (ternaries included) and the first argument of our error classes. */
function thrownCodes(text: string): string[] {
  const found: string[] = [];
  const literals = (expression: string) =>
    [...expression.matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{4,})'/g)].map((m) => m[1]!);
  for (const match of text.matchAll(/\bcode:\s*((?:'[^']*'|[^,}\n])+)/g)) found.push(...literals(match[1]!));
  for (const match of text.matchAll(
    /new (?:CliError|GatewayError|EngineError|ExpressionError)\(\s*((?:'[^']*'|[^,])+),/g,
  )) {
    found.push(...literals(match[1]!));
  }
  return found;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) {
      return ['__fixtures__', 'test-support', 'node_modules'].includes(name) ? [] : sourceFiles(path);
    }
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.startsWith('_test') ? [path] : [];
  });
}

// The sandbox emulates vendors and answers with their codes, not Baton's.
const PACKAGES = ['sdk', 'runtime', 'gateway', 'cli'];
// Not Baton codes: a Node errno the HTTP client hands its DNS callback (it surfaces as NETWORK_ERROR).
const NOT_BATON = new Set(['ENOTFOUND']);

describe('error codes in the sources', () => {
  it('are each listed in the catalog (or are diagnostics)', () => {
    const unlisted: string[] = [];
    for (const pkg of PACKAGES) {
      for (const file of sourceFiles(join(repoRoot, 'packages', pkg, 'src'))) {
        for (const code of thrownCodes(readFileSync(file, 'utf8'))) {
          if (!listed.has(code) && !NOT_BATON.has(code))
            unlisted.push(`${code} in ${relative(repoRoot, file)}`);
        }
      }
    }
    expect(unlisted).toEqual([]);
  });

  it('the scan finds codes where they are thrown', () => {
    const sample = `throw new CliError(\n 'PORT_INVALID', 'x');\nnew BatonError('m', { code: missing ? 'CONFIG_NOT_FOUND' : 'CONFIG_READ_FAILED', cause });`;
    expect(thrownCodes(sample)).toEqual(['CONFIG_NOT_FOUND', 'CONFIG_READ_FAILED', 'PORT_INVALID']);
  });
});
