import { join } from 'node:path';
import type { RunningGateway } from '@baton/gateway';
import { DURATION_BOUNDS_MS, type RunRecord } from '@baton/runtime';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { focused, inPage, screenshot } from './browser';
import { checkoutEnv, checkoutHub } from './checkout-hub';
import { type DashboardSession, openDashboard } from './dashboard-session';

const TOKEN = 'dashboard-token-analytics-71c4';
const WAIT = { timeout: 15_000 };

type Step = RunRecord['steps'][number];

/** The nearest-rank percentile of `values`, as the histogram bucket that holds it. */
function bucketOf(values: number[], q: number): { from: string; to: string } {
  const sorted = [...values].sort((a, b) => a - b);
  const value = sorted[Math.ceil(q * sorted.length) - 1]!;
  const i = DURATION_BOUNDS_MS.findIndex((bound) => value <= bound);
  return {
    from: String(i <= 0 ? 0 : DURATION_BOUNDS_MS[i - 1]),
    to: i === -1 ? '' : String(DURATION_BOUNDS_MS[i]),
  };
}

const ms = (from?: string, to?: string) => Date.parse(to!) - Date.parse(from!);
/** Attempts after the first on the same route and item. */
const retriesOf = (s: Step) =>
  s.attempts.length - new Set(s.attempts.map((a) => `${a.item}:${a.route}`)).size;
/** Fallback routes tried. */
const fallbacksOf = (s: Step) =>
  new Set(s.attempts.filter((a) => a.route > 0).map((a) => `${a.item}:${a.route}`)).size;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** Codes and counts, most frequent first, ties by code: as the page lists them. */
function ranked(codes: string[]): Array<[string, string]> {
  const counts = new Map<string, number>();
  for (const code of codes) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .map(([code, n]) => [code, String(n)]);
}

describe('the analytics page, in Chromium', () => {
  let hub: Awaited<ReturnType<typeof checkoutHub>>;
  let session: DashboardSession;
  let gateway: RunningGateway;
  let page: Page;
  let url: string;
  const runs: RunRecord[] = [];

  /** A checkout; the carrier refuses an order's first label, so an order's first run fails. */
  async function checkout(order: string, total = 50): Promise<RunRecord> {
    const { runId } = await gateway.engine.trigger('checkout', {
      data: { order, sku: 'SKU-1', qty: 1, total },
    });
    await gateway.engine.waitForRun(runId);
    return (await gateway.engine.getRun(runId))!;
  }

  beforeAll(async () => {
    hub = await checkoutHub();
    session = await openDashboard({
      configPath: join(hub.path, 'baton.config.json'),
      env: checkoutEnv,
      token: TOKEN,
    });
    ({ gateway, url, page } = session);
    // `pay` always times out: each charge is retried, then the fallback serves. Its third timeout
    // in a row opens its breaker, and later charges go to the fallback at once (BREAKER_OPEN).
    runs.push(await checkout('o-1')); // fails: LABEL_REFUSED
    runs.push(await checkout('o-1', 150)); // succeeds, with the receipt
    runs.push(await checkout('o-2')); // fails: LABEL_REFUSED
    runs.push(await checkout('o-2')); // succeeds
    runs.push(await checkout('o-3', 120)); // fails: LABEL_REFUSED
  });

  afterAll(async () => {
    await session?.close();
    await hub?.remove();
  });

  const figure = (name: string) => page.locator(`dd[data-figure="${name}"]`);

  it("shows the figures of the flow's runs, as their records give them", async () => {
    expect(runs.map((r) => r.status)).toEqual(['failed', 'succeeded', 'failed', 'succeeded', 'failed']);
    await page.goto(`${url}/dashboard/flows/checkout`);
    await page.getByRole('link', { name: 'analytics', exact: true }).click();
    await page.waitForURL('**/dashboard/flows/checkout/analytics');
    await page.getByRole('heading', { level: 1, name: 'Analytics of checkout' }).waitFor(WAIT);
    await figure('total').waitFor(WAIT);

    const ended = runs.length;
    const succeeded = runs.filter((r) => r.status === 'succeeded').length;
    expect(await figure('total').textContent()).toBe(String(ended));
    expect(await figure('succeeded').textContent()).toBe(String(succeeded));
    expect(await figure('failed').textContent()).toBe(
      String(runs.filter((r) => r.status === 'failed').length),
    );
    expect(await figure('cancelled').textContent()).toBe('0');
    expect(await figure('success-rate').textContent()).toBe(
      `${Number(((succeeded / ended) * 100).toFixed(1))} %`,
    );

    const steps = runs.flatMap((r) =>
      r.steps.filter((s) => s.startedAt && s.endedAt && s.status !== 'skipped'),
    );
    expect(await figure('retries').textContent()).toBe(String(sum(steps.map(retriesOf))));
    expect(await figure('fallbacks').textContent()).toBe(String(sum(steps.map(fallbacksOf))));
    expect(sum(steps.map(retriesOf))).toBeGreaterThan(0);
    // The one opening: `pay` opened on its third timeout in a row, and stays open for 5 minutes.
    expect((await gateway.engine.breakerStates()).pay?.state).toBe('open');
    expect(await figure('breaker-openings').textContent()).toBe('1 (pay: 1)');
    const waited = sum(steps.flatMap((s) => s.attempts.map((a) => a.waitedMs ?? 0)));
    expect(await figure('waiting').textContent()).toBe(`${waited} ms`);

    const durations = runs.map((r) => ms(r.createdAt, r.endedAt));
    for (const q of [50, 95]) {
      const shown = figure(`p${q}`).locator('.percentile');
      const { from, to } = bucketOf(durations, q / 100);
      expect([await shown.getAttribute('data-from-ms'), await shown.getAttribute('data-to-ms')]).toEqual([
        from,
        to,
      ]);
    }

    // Each step, in the flow's order, with what its records say.
    const rows = page.locator('table.analytics-steps tbody tr');
    const ran = ['reserve', 'charge', 'ship', 'receipt', 'alert-ops'].filter((id) =>
      steps.some((s) => s.id === id),
    );
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-step')))).toEqual(ran);
    for (const id of ran) {
      const of = steps.filter((s) => s.id === id);
      const row = page.locator(`table.analytics-steps tr[data-step="${id}"]`);
      const cell = (label: string) => row.locator(`td[data-label="${label}"]`).textContent();
      expect(
        [await cell('Ran'), await cell('Attempts'), await cell('Retries'), await cell('Fallbacks')],
        id,
      ).toEqual(
        [
          of.length,
          sum(of.map((s) => s.attempts.length)),
          sum(of.map(retriesOf)),
          sum(of.map(fallbacksOf)),
        ].map(String),
      );
      const p95 = row.locator('td[data-label="p95"] .percentile');
      const { from, to } = bucketOf(
        of.map((s) => ms(s.startedAt, s.endedAt)),
        0.95,
      );
      expect([await p95.getAttribute('data-from-ms'), await p95.getAttribute('data-to-ms')], id).toEqual([
        from,
        to,
      ]);
    }

    const codes = (table: string) =>
      page
        .locator(`${table} tbody tr`)
        .evaluateAll((trs) => trs.map((tr) => [tr.children[0]!.textContent, tr.children[1]!.textContent]));
    expect(await codes('.errors-runs table')).toEqual(
      ranked(runs.flatMap((r) => (r.error ? [r.error.code] : []))),
    );
    expect(await codes('.errors-attempts table')).toEqual(
      ranked(steps.flatMap((s) => s.attempts.flatMap((a) => (a.error ? [a.error.code] : [])))),
    );
    expect(await codes('.errors-runs table')).toEqual([['LABEL_REFUSED', '3']]);
    await screenshot(page, 'flow-analytics');
  });

  it('changes the window from the keyboard, keeps it in the address, and follows new runs live', async () => {
    await page.goto(`${url}/dashboard/flows/checkout/analytics?window=1h`);
    const hour = page.getByRole('radio', { name: 'Last hour' });
    await figure('total').waitFor(WAIT);
    expect(await hour.isChecked()).toBe(true);
    await hour.focus();
    expect((await focused(page)).outline).not.toBe('none');
    await page.keyboard.press('ArrowRight');
    await page.waitForURL('**/dashboard/flows/checkout/analytics?window=24h');
    await page.keyboard.press('ArrowRight');
    await page.waitForURL('**/dashboard/flows/checkout/analytics?window=7d');
    expect(await page.getByRole('radio', { name: 'Last 7 days' }).isChecked()).toBe(true);
    await expect.poll(() => page.locator('.hint').first().textContent(), WAIT).toContain('by hour');
    expect(await figure('total').textContent()).toBe(String(runs.length));

    runs.push(await checkout('o-4'));
    await expect.poll(() => figure('total').textContent(), WAIT).toBe(String(runs.length));
    expect(session.browser.problems).toEqual({ errors: [], cspViolations: [] });
  });

  it('fits a 375-pixel-wide screen', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${url}/dashboard/flows/checkout/analytics`);
    await page.locator('table.analytics-steps').waitFor(WAIT);
    expect(await inPage<number>(page, 'document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await screenshot(page, 'narrow-flow-analytics');
  });
});
