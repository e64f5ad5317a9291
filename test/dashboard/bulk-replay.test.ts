import { join } from 'node:path';
import type { RunningGateway } from '@baton/gateway';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutEnv, checkoutHub } from './checkout-hub';
import { type DashboardSession, openDashboard } from './dashboard-session';

const TOKEN = 'dashboard-token-bulk-replay-7c1d';
const WAIT = { timeout: 15_000 };

describe('"Replay N matching runs" on the run list, in Chromium', () => {
  let hub: Awaited<ReturnType<typeof checkoutHub>>;
  let session: DashboardSession;
  let gateway: RunningGateway;
  let page: Page;
  let url: string;

  beforeAll(async () => {
    hub = await checkoutHub();
    session = await openDashboard({
      configPath: join(hub.path, 'baton.config.json'),
      env: checkoutEnv,
      token: TOKEN,
    });
    ({ gateway, url, page } = session);
  });

  afterAll(async () => {
    await session?.close();
    await hub?.remove();
  });

  /** A checkout of a new order: the carrier refuses an order's first label, so it fails with LABEL_REFUSED. */
  async function failedCheckout(order: string): Promise<string> {
    const { runId } = await gateway.engine.trigger('checkout', {
      data: { order, sku: 'SKU-1', qty: 1, total: 50 },
    });
    expect((await gateway.engine.waitForRun(runId)).status).toBe('failed');
    return runId;
  }

  it('confirms the dry run count, then shows the job until every matching run was replayed', async () => {
    const failed = [await failedCheckout('b-1'), await failedCheckout('b-2')];
    await page.goto(`${url}/dashboard/runs?flow=checkout&status=failed`);
    await page.getByRole('button', { name: 'Replay matching runs…' }).click(WAIT);
    const dialog = page.getByRole('dialog', { name: 'Confirm the replay' });
    await dialog.waitFor(WAIT);
    expect(await dialog.textContent()).toContain('Replay 2 matching failed runs of checkout?');
    await dialog.getByRole('button', { name: 'Replay 2 matching runs' }).click();
    await page.getByText(/Done: 2 of 2 \(replayed 2, skipped 0, failed 0\)/).waitFor(WAIT);
    for (const runId of failed) expect((await gateway.engine.getRun(runId))?.replayedBy).toBeDefined();
  });
});
