import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './proc';
import { BENCH_SECRET } from './sign';

/** The event type of the one-step flow (ingest, memory) and of the five-step flow (steps, latency). */
export const INGEST_EVENT = 'order.created';
export const CHAIN_EVENT = 'chain.run';
export const CHAIN_STEPS = 5;
/** Starts a run whose one step waits for `WAIT_DONE_EVENT` with the same `data.k`. */
export const WAIT_START_EVENT = 'wait.start';
export const WAIT_DONE_EVENT = 'wait.done';

/** A connector whose one action does nothing, as a user would write it. */
const NOOP_CONNECTOR = `
import { defineAction, defineConnector } from '@baton/sdk';
import { z } from 'zod';

export default defineConnector({
  name: 'noop',
  config: z.object({}),
  actions: {
    pass: defineAction({
      input: z.object({ n: z.number() }),
      output: z.object({ ok: z.boolean() }),
      async run() {
        return { ok: true };
      },
    }),
  },
});
`;

/**
 * The bench hub: a `shop` source (Standard Webhooks), a no-op connector, a
 * one-step flow on `order.created`, a five-step chain on `chain.run`, and
 * a flow whose one step waits for `wait.done` with the key of its `wait.start`.
 * The backlog limit is lifted: the ingest scenario records far more runs
 * than a worker-less gateway ever starts. It lives under test/.tmp so the
 * connector module resolves `@baton/sdk` from the workspace.
 */
export function writeBenchHub(): { path: string; config: string; remove(): void } {
  const base = join(repoRoot, 'test/.tmp');
  mkdirSync(base, { recursive: true });
  const path = mkdtempSync(join(base, 'bench-hub-'));
  const write = (name: string, content: string | object) => {
    mkdirSync(join(path, name, '..'), { recursive: true });
    writeFileSync(join(path, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  };
  write('noop.mjs', NOOP_CONNECTOR);
  write('baton.config.json', {
    flows: './flows',
    connectors: { noop: { use: './noop.mjs', config: {} } },
    sources: { shop: { verify: { scheme: 'standard-webhooks', secret: BENCH_SECRET } } },
    backlogLimit: 1_000_000_000,
  });
  write('flows/ingest.json', {
    id: 'ingest',
    trigger: { source: 'shop', event: INGEST_EVENT },
    steps: [{ id: 'ack', action: 'noop.pass', input: { n: 1 } }],
  });
  write('flows/chain.json', {
    id: 'chain',
    trigger: { source: 'shop', event: CHAIN_EVENT },
    steps: Array.from({ length: CHAIN_STEPS }, (_, i) => ({
      id: `s${i + 1}`,
      action: 'noop.pass',
      input: { n: i + 1 },
    })),
  });
  write('flows/waits.json', {
    id: 'waits',
    trigger: { source: 'shop', event: WAIT_START_EVENT },
    steps: [
      {
        id: 'w',
        wait: {
          source: 'shop',
          event: WAIT_DONE_EVENT,
          key: '{{ event.data.k }}',
          eventKey: '{{ event.data.k }}',
        },
      },
    ],
  });
  return {
    path,
    config: join(path, 'baton.config.json'),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}
