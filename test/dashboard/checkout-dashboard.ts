import { join } from 'node:path';
import type { RunningGateway } from '@baton/gateway';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { checkoutEnv, checkoutHub } from './checkout-hub';
import { type DashboardSession, openDashboard } from './dashboard-session';

/** The checkout hub served with its dashboard, for the tests of one file. */
export interface CheckoutDashboard {
  readonly gateway: RunningGateway;
  readonly url: string;
  readonly page: Page;
  /** Runs a checkout of a new order, which fails: the carrier refuses an order's first label (LABEL_REFUSED). */
  failedCheckout(order: string): Promise<string>;
}

/**
 * Serves the checkout hub (checkout-hub.ts) with the dashboard and opens
 * Chromium on it before the calling file's tests, and closes both after.
 */
export function useCheckoutDashboard(token: string): CheckoutDashboard {
  let hub: Awaited<ReturnType<typeof checkoutHub>> | undefined;
  let session: DashboardSession | undefined;
  beforeAll(async () => {
    hub = await checkoutHub();
    session = await openDashboard({
      configPath: join(hub.path, 'baton.config.json'),
      env: checkoutEnv,
      token,
    });
  });
  afterAll(async () => {
    await session?.close();
    await hub?.remove();
  });
  const current = () => {
    if (!session) throw new Error('the dashboard is open only inside the tests of the file that uses it');
    return session;
  };
  return {
    get gateway() {
      return current().gateway;
    },
    get url() {
      return current().url;
    },
    get page() {
      return current().page;
    },
    async failedCheckout(order) {
      const { engine } = current().gateway;
      const { runId } = await engine.trigger('checkout', {
        data: { order, sku: 'SKU-1', qty: 1, total: 50 },
      });
      expect((await engine.waitForRun(runId)).status).toBe('failed');
      return runId;
    },
  };
}
