import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFolder } from '../__fixtures__/temp-folder';
import { importFailure } from './import-failure';

/**
 * The errors Node itself throws when it imports a broken module (a child
 * process: vitest's own loader would throw others), and what a user is told.
 */
describe('importFailure', () => {
  let folder: Awaited<ReturnType<typeof tempFolder>>;
  beforeAll(async () => {
    folder = await tempFolder('import-failure-');
    await folder.write('unfinished.mjs', 'export default {\n  name: "x",\n');
    await folder.write('imports-unfinished.mjs', "export { default } from './unfinished.mjs';\n");
    await folder.write('source.ts', 'export default {} as unknown;\n');
    await folder.write('throws.mjs', "const x = 1;\nthrow new Error('boom at import');\n");
  });
  afterAll(() => folder.remove());

  /** Imports `file` in a plain Node process; its error as Node made it. */
  function nodeError(file: string): { url: string; error: Error } {
    const url = pathToFileURL(`${folder.path}/${file}`).href;
    const script = `import(${JSON.stringify(url)}).catch((e) => process.stdout.write(JSON.stringify({ name: e.name, message: e.message, code: e.code, stack: e.stack })))`;
    const thrown = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    return { url, error: Object.assign(new Error(thrown.message), thrown) };
  }

  it('names the file and line of a syntax error', () => {
    const { url, error } = nodeError('unfinished.mjs');
    expect(importFailure(url, error)).toBe(`${folder.path}/unfinished.mjs:3: Unexpected end of input`);
  });

  it('says a syntax error is in a module the entry imports, when the entry parses', () => {
    const { url, error } = nodeError('imports-unfinished.mjs');
    expect(importFailure(url, error)).toBe(
      `importing it threw: Unexpected end of input (in a module ${folder.path}/imports-unfinished.mjs imports; run node --check on it)`,
    );
  });

  it('says a TypeScript entry needs building first', () => {
    const { url, error } = nodeError('source.ts');
    expect(importFailure(url, error)).toBe(
      `${folder.path}/source.ts is TypeScript, which Node does not import: build it first (such as npm run build) and point "use" at the built .js, or the package's "exports" at its dist`,
    );
  });

  it('names where a module threw while it ran', () => {
    const { url, error } = nodeError('throws.mjs');
    expect(importFailure(url, error)).toBe(
      `importing it threw: boom at import (at ${folder.path}/throws.mjs:2:7)`,
    );
  });
});
