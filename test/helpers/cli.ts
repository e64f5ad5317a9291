import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type CliIo, runCli } from '@baton/cli';
import { repoRoot } from './workspace';

/** An in-memory terminal for running CLI commands in-process. */
export function memoryIo(cwd: string, env: NodeJS.ProcessEnv = process.env) {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (out += t), isTTY: false },
    stderr: { write: (t: string) => (err += t), isTTY: false },
    cwd,
    env,
  };
  return { io, out: () => out, err: () => err };
}

/** Runs `baton <args>` in-process. */
export async function baton(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const terminal = memoryIo(cwd, env);
  const code = await runCli(args, terminal.io);
  return { code, stdout: terminal.out(), stderr: terminal.err() };
}

/**
 * A hub folder inside the repository (so `@baton/sdk` resolves from it)
 * with the given files, removed by `remove`.
 */
export async function hubFolder(files: Record<string, string | object>) {
  await mkdir(join(repoRoot, 'test/.tmp'), { recursive: true });
  const path = await mkdtemp(join(repoRoot, 'test/.tmp/hub-'));
  for (const [name, content] of Object.entries(files)) {
    const file = join(path, name);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A connector module written as a user would, in plain ESM, with scripted actions. */
export const shopConnectorModule = `
import { defineAction, defineConnector, NonRetryableError, RetryableError } from '@baton/sdk';
import { z } from 'zod';

let charges = 0;
export default defineConnector({
  name: 'shop',
  config: z.object({ apiKey: z.string() }),
  actions: {
    reserve: defineAction({
      input: z.object({ sku: z.string(), qty: z.number() }),
      output: z.object({ id: z.string(), remaining: z.number() }),
      async run({ input }) { return { id: 'res-' + input.sku, remaining: 10 - input.qty }; },
    }),
    charge: defineAction({
      input: z.object({ amount: z.number() }),
      output: z.object({ id: z.string() }),
      async run({ input }) {
        charges += 1;
        if (input.amount > 1000) throw new NonRetryableError('card declined', { code: 'card_declined' });
        if (charges === 1) throw new RetryableError('gateway hiccup');
        return { id: 'ch-' + input.amount };
      },
    }),
    refund: defineAction({
      input: z.object({ charge: z.string() }),
      output: z.object({ ok: z.boolean() }),
      async run() { return { ok: true }; },
    }),
  },
});
`;
