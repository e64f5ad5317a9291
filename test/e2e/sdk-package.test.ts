import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packWorkspace } from '../helpers/packed';
import { exec, tempDir } from '../helpers/workspace';

// A connector written exactly like the CONTRACT example, as plain ESM.
const contractConnector = `
import { defineConnector, defineAction } from '@baton/sdk';
import { createTestServer, runAction } from '@baton/sdk/testing';
import { z } from 'zod';

const connector = defineConnector({
  name: 'acme-helpdesk',
  config: z.object({ baseUrl: z.string().url(), apiKey: z.string() }),
  actions: {
    'create-ticket': defineAction({
      input: z.object({ subject: z.string(), email: z.string().email() }),
      output: z.object({ id: z.string() }),
      async run({ input, config, http, idempotencyKey, log, signal }) {
        const { data } = await http.post(config.baseUrl + '/tickets', input, {
          headers: { authorization: 'Bearer ' + config.apiKey, 'idempotency-key': idempotencyKey },
          signal,
        });
        log.info('created', { id: data.id });
        return { id: String(data.id) };
      },
    }),
  },
});

const server = await createTestServer((req) => ({ status: 201, json: { id: 'T-' + req.parsed.subject } }));
const { output } = await runAction(connector, 'create-ticket', {
  config: { baseUrl: server.url, apiKey: 'key-123456' },
  input: { subject: 'hello', email: 'a@b.co' },
  idempotencyKey: 'k-1',
});
await server.close();
console.log(JSON.stringify({ output, key: server.requests[0].headers['idempotency-key'] }));
`;

describe('the packed @baton/sdk', () => {
  let packed: Awaited<ReturnType<typeof packWorkspace>>;
  let app: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    packed = await packWorkspace(['packages/sdk']);
    app = await tempDir('baton-sdk-user-');
    await writeFile(
      join(app.path, 'package.json'),
      JSON.stringify({ name: 'user-app', private: true, type: 'module' }),
    );
    await exec(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', packed.tarballs['@baton/sdk']!, 'zod@^4'],
      {
        cwd: app.path,
      },
    );
  }, 240_000);

  afterAll(async () => {
    await app?.remove();
    await packed?.remove();
  });

  it('ships dist JavaScript and type declarations, no sources', () => {
    const root = join(app.path, 'node_modules/@baton/sdk');
    for (const file of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/host/index.js',
      'dist/host/index.d.ts',
      'dist/testing/index.js',
      'dist/testing/index.d.ts',
      'README.md',
    ]) {
      expect(existsSync(join(root, file)), file).toBe(true);
    }
    expect(existsSync(join(root, 'src'))).toBe(false);
  });

  it('runs a connector written like the CONTRACT example in a fresh folder', async () => {
    await writeFile(join(app.path, 'check.mjs'), contractConnector);
    const { stdout } = await exec('node', ['check.mjs'], { cwd: app.path });
    expect(JSON.parse(stdout)).toEqual({ output: { id: 'T-hello' }, key: 'k-1' });
  });
});
