import { defineAction, defineConnector, noConfig } from '@baton/sdk';
import { type ConnectorManifest, connectorManifest } from '@baton/sdk/host';
import { z } from 'zod';
import type { ConnectorCatalog } from '../catalog';

/**
 * Connectors the validation tests check flows against. Their actions are
 * never run: validation reads only their manifests.
 */
const never = async (): Promise<never> => {
  throw new Error('validation must not run actions');
};

const inventory = defineConnector({
  name: 'test-inventory',
  config: noConfig,
  actions: {
    reserve: defineAction({
      input: z.object({ sku: z.string(), qty: z.number().int() }),
      output: z.object({ reservationId: z.string(), remaining: z.number() }),
      run: never,
    }),
  },
});

const payment = defineConnector({
  name: 'test-payment',
  config: z.object({ apiKey: z.string(), retries: z.number().int().optional() }),
  actions: {
    charge: defineAction({
      input: z.object({ amount: z.number(), currency: z.enum(['usd', 'eur']) }),
      output: z.object({ id: z.string(), status: z.enum(['paid', 'pending']) }),
      run: never,
    }),
    refund: defineAction({
      input: z.object({ charge: z.string() }),
      output: z.object({ id: z.string() }),
      run: never,
    }),
  },
});

const paymentBackup = defineConnector({
  name: 'test-payment-backup',
  config: noConfig,
  actions: {
    charge: defineAction({
      input: z.object({ amount: z.number() }),
      output: z.object({ id: z.string(), provider: z.string() }),
      run: never,
    }),
  },
});

const shipping = defineConnector({
  name: 'test-shipping',
  config: noConfig,
  actions: {
    'create-shipment': defineAction({
      input: z.object({ sku: z.string(), express: z.boolean().optional() }),
      output: z.object({ trackingId: z.string(), label: z.object({ url: z.string() }) }),
      run: never,
    }),
  },
});

const notify = defineConnector({
  name: 'test-notify',
  config: noConfig,
  actions: {
    send: defineAction({
      input: z.object({ text: z.string(), channel: z.string().optional() }),
      output: z.object({ ok: z.boolean(), ts: z.string() }),
      run: never,
    }),
  },
});

/** Instances as a baton.config.json would declare them; `broken` failed to load. */
export const testCatalog: ConnectorCatalog = new Map<string, ConnectorManifest | null>([
  ['inventory', connectorManifest(inventory)],
  ['payment', connectorManifest(payment)],
  ['payment-backup', connectorManifest(paymentBackup)],
  ['shipping', connectorManifest(shipping)],
  ['notify', connectorManifest(notify)],
  ['broken', null],
]);

/** Sources as a baton.config.json would declare them. */
export const testSources: ReadonlySet<string> = new Set(['shop', 'stripe']);
