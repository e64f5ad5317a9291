import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A fresh folder inside this package (under the git-ignored `.tmp`), so
 * modules written there resolve `@baton/sdk` and `zod` from the package's
 * own node_modules, as a connector installed beside a hub would.
 */
export async function tempFolder(prefix = 'hub-') {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../.tmp');
  await mkdir(root, { recursive: true });
  const path = await mkdtemp(join(root, prefix));
  return {
    path,
    /** Writes a file under the folder (JSON for anything that is not a string). */
    async write(relative: string, content: unknown): Promise<string> {
      const file = join(path, relative);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
      return file;
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

/** A connector module as an author would write it, whose action must never run. */
export const ACME_CONNECTOR = `import { defineAction, defineConnector } from '@baton/sdk';
import { z } from 'zod';

export default defineConnector({
  name: 'acme-helpdesk',
  config: z.object({ apiKey: z.string(), region: z.enum(['eu', 'us']).optional() }),
  actions: {
    'create-ticket': defineAction({
      input: z.object({ subject: z.string(), priority: z.number().int().optional() }),
      output: z.object({ id: z.string(), url: z.string() }),
      async run() {
        throw new Error('validation must not run actions');
      },
    }),
  },
});
`;

/** A connector package that uses zod alone, for node_modules resolution from a plain Node import. */
export function packageConnector(name: string): Record<string, string | object> {
  return {
    'package.json': { name, version: '1.0.0', type: 'module', exports: { '.': { import: './index.mjs' } } },
    'index.mjs': `import { z } from 'zod';
export default {
  name: '${name}',
  config: z.object({}),
  actions: {
    send: {
      input: z.object({ to: z.string() }),
      output: z.object({ delivered: z.boolean() }),
      async run() { throw new Error('validation must not run actions'); },
    },
  },
};
`,
  };
}
