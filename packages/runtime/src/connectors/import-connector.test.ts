import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_CONNECTOR, packageConnector, tempFolder } from '../__fixtures__/temp-folder';
import { importConnector } from './import-connector';

describe('importConnector', () => {
  let folder: Awaited<ReturnType<typeof tempFolder>>;

  beforeAll(async () => {
    folder = await tempFolder('import-');
    await folder.write('connectors/acme.mjs', ACME_CONNECTOR);
    for (const [file, content] of Object.entries(packageConnector('acme-mailer'))) {
      await folder.write(`node_modules/acme-mailer/${file}`, content);
    }
    await folder.write('node_modules/conditional/package.json', {
      name: 'conditional',
      type: 'module',
      exports: { '.': { custom: './custom.mjs', import: './index.mjs' } },
    });
    await folder.write('node_modules/conditional/index.mjs', 'export default { name: "plain" };\n');
    await folder.write(
      'node_modules/conditional/custom.mjs',
      "export { default } from '../acme-mailer/index.mjs';\n",
    );
    await folder.write('broken.mjs', "throw new Error('boom at import');\n");
    await folder.write('not-a-connector.mjs', "export default { name: 'x' };\n");
    await folder.write('no-default.mjs', 'export const answer = 42;\n');
  });

  afterAll(() => folder.remove());

  it('imports an ES module by a path relative to the base folder', async () => {
    const connector = await importConnector('./connectors/acme.mjs', folder.path);
    expect(connector.name).toBe('acme-helpdesk');
    expect(Object.keys(connector.actions)).toEqual(['create-ticket']);
  });

  it('resolves a package name from the base folder, through its "import" export', async () => {
    const connector = await importConnector('acme-mailer', folder.path);
    expect(connector.name).toBe('acme-mailer');
  });

  it('resolves with extra export conditions when asked', async () => {
    await expect(importConnector('conditional', folder.path)).rejects.toThrow(/not a connector/);
    expect((await importConnector('conditional', folder.path, { conditions: ['custom'] })).name).toBe(
      'acme-mailer',
    );
  });

  it.each([
    [
      'a package that is not installed',
      'not-installed',
      (dir: string) =>
        `cannot load connector "not-installed": package not found from ${dir}; install it there (npm install not-installed)`,
    ],
    [
      'a file that does not exist',
      './missing.mjs',
      (dir: string) => `cannot load connector "./missing.mjs": no file at ${dir}/missing.mjs`,
    ],
    [
      'a module that throws when imported',
      './broken.mjs',
      (dir: string) =>
        `cannot load connector "./broken.mjs": importing it threw: boom at import (at ${dir}/broken.mjs:1:7)`,
    ],
    [
      'a default export that is not a connector',
      './not-a-connector.mjs',
      () =>
        'cannot load connector "./not-a-connector.mjs": its default export is not a connector; export default defineConnector({ ... }) from @baton/sdk',
    ],
    [
      'a module without a default export',
      './no-default.mjs',
      () =>
        'cannot load connector "./no-default.mjs": it has no default export; export default defineConnector({ ... }) from @baton/sdk',
    ],
  ])('fails with CONNECTOR_LOAD_FAILED for %s', async (_case, use, message) => {
    const error = await importConnector(use, folder.path).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'CONNECTOR_LOAD_FAILED',
      message: message(folder.path),
      details: { use },
    });
  });
});
