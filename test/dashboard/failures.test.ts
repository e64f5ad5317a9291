import { describe, expect, it } from 'vitest';
import { screenshot } from './browser';
import { useCheckoutDashboard } from './checkout-dashboard';

const TOKEN = 'dashboard-token-failures-5e2a';
const WAIT = { timeout: 15_000 };

describe('the Failed page, in Chromium', () => {
  const dashboard = useCheckoutDashboard(TOKEN);
  const { failedCheckout } = dashboard;

  it('groups the failed and cancelled runs by flow and error code, and links to the filtered run list', async () => {
    const { gateway, page, url } = dashboard;
    await failedCheckout('o-1');
    const latest = await failedCheckout('o-2');
    const { runId: restock } = await gateway.engine.trigger('restock', { data: { sku: 'SKU-1' } });
    await expect.poll(async () => (await gateway.engine.getRun(restock))?.status, WAIT).toBe('waiting');
    await gateway.engine.cancel(restock, { actor: 'ops' });

    await page.goto(`${url}/dashboard/runs`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Failed' }).click();
    await page.waitForURL('**/dashboard/failures');
    await page.getByRole('heading', { level: 1, name: 'Failed runs' }).waitFor(WAIT);

    const checkout = page.locator('table.failures tr[data-flow="checkout"]');
    await checkout.waitFor(WAIT);
    expect(await checkout.getAttribute('data-error-code')).toBe('LABEL_REFUSED');
    expect(await checkout.locator('td[data-label="Runs"]').textContent()).toBe('2');
    expect(await checkout.locator('td[data-label="Error"]').textContent()).toContain(
      'the carrier refused the label',
    );
    expect(await checkout.locator('td[data-label="Latest run"]').textContent()).toBe(latest);
    const cancelled = page.locator('table.failures tr[data-flow="restock"]');
    expect(await cancelled.locator('.badge').textContent()).toBe('cancelled');
    expect(await cancelled.locator('td[data-label="Runs"]').textContent()).toBe('1');
    // The latest group first: the cancel came last.
    expect(await page.locator('table.failures tbody tr').first().getAttribute('data-flow')).toBe('restock');
    await screenshot(page, 'failures');

    await checkout.getByRole('link', { name: 'failed runs of checkout' }).click();
    await page.waitForURL('**/dashboard/runs?flow=checkout&status=failed');
    await page.locator(`table.runs tr[data-run="${latest}"]`).waitFor(WAIT);
    expect(await page.locator('table.runs tbody tr').count()).toBe(2);
  });

  it('shows a new failure without a reload', async () => {
    const { page, url } = dashboard;
    await page.goto(`${url}/dashboard/failures`);
    const count = page.locator('table.failures tr[data-flow="checkout"] td[data-label="Runs"]');
    await count.waitFor(WAIT);
    const before = Number(await count.textContent());
    await failedCheckout('o-3');
    await expect.poll(async () => Number(await count.textContent()), WAIT).toBe(before + 1);
  });

  it('replays a group through the bulk replay', async () => {
    const { gateway, page, url } = dashboard;
    await page.goto(`${url}/dashboard/failures`);
    const checkout = page.locator('table.failures tr[data-flow="checkout"]');
    await checkout.waitFor(WAIT);
    const count = Number(await checkout.locator('td[data-label="Runs"]').textContent());
    await checkout.getByRole('button', { name: 'Replay these' }).click();
    const said = checkout.getByRole('status');
    await said.waitFor(WAIT);
    expect(await said.textContent()).toMatch(new RegExp(`^Replaying ${count} runs \\(job .+\\)\\.$`));
    // The carrier refuses only an order's first label: every replay succeeds.
    const failed = await gateway.engine.listRuns({ flow: 'checkout', status: 'failed' });
    await expect
      .poll(async () => {
        const runs = await Promise.all(failed.runs.map((r) => gateway.engine.getRun(r.id)));
        return runs.filter((run) => run?.replayedBy).length;
      }, WAIT)
      .toBe(count);
  });
});
