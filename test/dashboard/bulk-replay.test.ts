import { describe, expect, it } from 'vitest';
import { useCheckoutDashboard } from './checkout-dashboard';

const TOKEN = 'dashboard-token-bulk-replay-7c1d';
const WAIT = { timeout: 15_000 };

describe('"Replay N matching runs" on the run list, in Chromium', () => {
  const dashboard = useCheckoutDashboard(TOKEN);
  const { failedCheckout } = dashboard;

  it('confirms the dry run count, then shows the job until every matching run was replayed', async () => {
    const { gateway, page, url } = dashboard;
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
