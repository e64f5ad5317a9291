import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Baton never turns text into code: no eval, no Function constructor, no
 * `vm` module and no JavaScript sandbox library, anywhere in the packages
 * that evaluate flows or serve requests. Test files are left out: the
 * escape corpus holds such strings on purpose.
 */

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const scanned = ['packages/runtime/src', 'packages/gateway/src', 'packages/sdk/src'];
const sandboxes = ['vm2', 'isolated-vm', 'ses', 'quickjs-emscripten', 'safe-eval', 'static-eval'];

const FORBIDDEN: Array<[string, RegExp]> = [
  ['eval(', /(?<![\w$.])eval\s*\(/],
  ['new Function', /\bnew\s+Function\s*\(/],
  ['Function(...)', /(?<![\w$.])Function\s*\(\s*['"`]/],
  ['the vm module', /(?:from\s*|import\s*\(\s*|require\s*\(\s*)['"](?:node:)?vm['"]/],
  [
    'a JavaScript sandbox',
    new RegExp(`(?:from\\s*|import\\s*\\(\\s*|require\\s*\\(\\s*)['"](?:${sandboxes.join('|')})['"]`),
  ],
];

function sourceFiles(folder: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return name === '__fixtures__' ? [] : sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

function violations(text: string): string[] {
  return FORBIDDEN.filter(([, pattern]) => pattern.test(text)).map(([what]) => what);
}

describe('no code execution', () => {
  it('the patterns catch what they are meant to', () => {
    expect(violations('const f = eval("1 + 1");')).toEqual(['eval(']);
    expect(violations('return new Function("a", "return a")')).toContain('new Function');
    expect(violations("Function('return this')()")).toEqual(['Function(...)']);
    expect(violations("import { runInNewContext } from 'node:vm';")).toEqual(['the vm module']);
    expect(violations("const vm = require('vm');")).toEqual(['the vm module']);
    expect(violations("import { NodeVM } from 'vm2';")).toEqual(['a JavaScript sandbox']);
    expect(violations('compiled.evaluate(scope, bindings); isFunction(x); $eval(x)')).toEqual([]);
  });

  it('the runtime, gateway and SDK sources use none of them', () => {
    const files = scanned.flatMap((folder) => sourceFiles(join(repo, folder)));
    expect(files.length).toBeGreaterThan(20);
    const found = files.flatMap((file) =>
      violations(readFileSync(file, 'utf8')).map((what) => `${relative(repo, file)}: ${what}`),
    );
    expect(found).toEqual([]);
  });

  it('no package that evaluates flows depends on a sandbox library', () => {
    for (const name of ['runtime', 'gateway', 'sdk']) {
      let manifest: { dependencies?: object; peerDependencies?: object };
      try {
        manifest = JSON.parse(readFileSync(join(repo, 'packages', name, 'package.json'), 'utf8'));
      } catch {
        continue;
      }
      const deps = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies });
      expect(
        deps.filter((d) => sandboxes.includes(d)),
        name,
      ).toEqual([]);
    }
  });

  it('the expression library itself does not turn text into code', () => {
    const entry = createRequire(import.meta.url).resolve('jsonata');
    expect(violations(readFileSync(entry, 'utf8'))).toEqual([]);
  });
});
