import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STOCK_CONNECTOR_MODULE } from '../../helpers/stock-connector';
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

/** A hub folder under test/.tmp (so connector modules resolve `@baton/sdk` from the workspace). */
function hubFolder(name: string) {
  const base = join(repoRoot, 'test/.tmp');
  mkdirSync(base, { recursive: true });
  const path = mkdtempSync(join(base, `${name}-`));
  return {
    path,
    config: join(path, 'baton.config.json'),
    write(file: string, content: string | object) {
      mkdirSync(join(path, file, '..'), { recursive: true });
      writeFileSync(
        join(path, file),
        typeof content === 'string' ? content : JSON.stringify(content, null, 2),
      );
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

const SHOP_SOURCE = { verify: { scheme: 'standard-webhooks', secret: BENCH_SECRET } };

/** The five-step chain of no-op steps on `event`, each calling `action`. */
function chainFlow(id: string, event: string, action: string): object {
  return {
    id,
    trigger: { source: 'shop', event },
    steps: Array.from({ length: CHAIN_STEPS }, (_, i) => ({ id: `s${i + 1}`, action, input: { n: i + 1 } })),
  };
}

/**
 * The bench hub: a `shop` source (Standard Webhooks), a no-op connector, a
 * one-step flow on `order.created`, a five-step chain on `chain.run`, and
 * a flow whose one step waits for `wait.done` with the key of its `wait.start`.
 * The backlog limit is lifted: the ingest scenario records far more runs
 * than a worker-less gateway ever starts.
 */
export function writeBenchHub(): { path: string; config: string; remove(): void } {
  const { write, ...hub } = hubFolder('bench-hub');
  write('noop.mjs', NOOP_CONNECTOR);
  write('baton.config.json', {
    flows: './flows',
    connectors: { noop: { use: './noop.mjs', config: {} } },
    sources: { shop: SHOP_SOURCE },
    backlogLimit: 1_000_000_000,
  });
  write('flows/ingest.json', {
    id: 'ingest',
    trigger: { source: 'shop', event: INGEST_EVENT },
    steps: [{ id: 'ack', action: 'noop.pass', input: { n: 1 } }],
  });
  write('flows/chain.json', chainFlow('chain', CHAIN_EVENT, 'noop.pass'));
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
  return hub;
}

/** The five-step chain through `metered`, the no-op connector with a budget that never binds. */
export const METERED_CHAIN_EVENT = 'chain.metered';
/** Far above anything the bench reaches: every call asks for its turn and always gets it. */
export const NEVER_BINDING_LIMITS = { rate: { requests: 1_000_000, per: '1s' }, concurrency: 10_000 };
/** A one-step run whose step reads the sandbox inventory's locations through `stock`. */
export const STOCK_EVENT = 'stock.look';
/** The same through `stock-unlimited`, an instance without a budget: what the workers reach with no limit. */
export const UNLIMITED_STOCK_EVENT = 'stock.unlimited';
/** The provider's limit, set on the sandbox and configured as the `stock` instance's budget. */
export const PROVIDER_LIMIT = { requests: 100, perMs: 1000 };

/**
 * The budgets scenario's hub: the five-step chain through the plain no-op
 * instance (`chain.run`) and through `metered`, a second instance of the
 * same connector with a budget that never binds (`chain.metered`); and a
 * one-step flow (`stock.look`) calling the sandbox at `sandboxUrl` through
 * `stock`, whose budget is the provider's limit, and the same flow through
 * an instance without a budget (`stock.unlimited`).
 */
export function writeBudgetsHub(sandboxUrl: string): { path: string; config: string; remove(): void } {
  const { write, ...hub } = hubFolder('bench-budgets');
  write('noop.mjs', NOOP_CONNECTOR);
  write('stock.mjs', STOCK_CONNECTOR_MODULE);
  const stock = {
    use: './stock.mjs',
    config: { baseUrl: `${sandboxUrl}/inventory/admin/api/2024-10` },
    egress: { allow: ['loopback'] },
  };
  write('baton.config.json', {
    flows: './flows',
    connectors: {
      noop: { use: './noop.mjs', config: {} },
      metered: { use: './noop.mjs', config: {}, limits: NEVER_BINDING_LIMITS },
      stock: {
        ...stock,
        limits: { rate: { requests: PROVIDER_LIMIT.requests, per: `${PROVIDER_LIMIT.perMs}ms` } },
      },
      'stock-unlimited': stock,
    },
    sources: { shop: SHOP_SOURCE },
  });
  write('flows/chain.json', chainFlow('chain', CHAIN_EVENT, 'noop.pass'));
  write('flows/chain-metered.json', chainFlow('chain-metered', METERED_CHAIN_EVENT, 'metered.pass'));
  const lookFlow = (id: string, event: string, instance: string) => ({
    id,
    trigger: { source: 'shop', event },
    steps: [{ id: 'look', action: `${instance}.locations`, input: { n: '{{ event.data.n }}' } }],
  });
  write('flows/stock.json', lookFlow('stock', STOCK_EVENT, 'stock'));
  write('flows/stock-unlimited.json', lookFlow('stock-unlimited', UNLIMITED_STOCK_EVENT, 'stock-unlimited'));
  return hub;
}
