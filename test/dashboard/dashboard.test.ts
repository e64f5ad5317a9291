import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunningGateway } from '@baton/gateway';
import type { Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/workspace';
import { focused, inPage, SCREENSHOTS, screenshot } from './browser';
import { checkoutEnv, checkoutFlow, checkoutHub, SHOP_SECRET } from './checkout-hub';
import { type DashboardSession, openDashboard } from './dashboard-session';

const TOKEN = 'dashboard-token-5f2a9e';
const WAIT = { timeout: 15_000 };

/** Posts an `order.created` webhook signed as Standard Webhooks senders sign it. */
async function sendOrder(url: string, order: string) {
  const body = JSON.stringify({
    type: 'order.created',
    timestamp: new Date().toISOString(),
    data: { order, sku: 'SKU-7', qty: 2, total: 149 },
  });
  const id = `msg_${randomUUID()}`;
  const now = new Date();
  const response = await fetch(`${url}/webhooks/shop`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(SHOP_SECRET).sign(id, now, body),
    },
  });
  expect(response.status).toBe(202);
  const answer = (await response.json()) as { runs: Array<{ runId: string }> };
  return answer.runs[0]!.runId;
}

/** The bars of one timeline row, as the page draws them. */
function bars(page: Page, step: string, kind: 'step' | 'compensation') {
  return page
    .locator(`li.tl-row[data-step="${step}"][data-row-kind="${kind}"] .tl-bar`)
    .evaluateAll((elements) =>
      elements.map((e) => ({
        label: e.textContent,
        route: e.getAttribute('data-route'),
        outcome: e.getAttribute('data-outcome'),
        action: e.getAttribute('data-action'),
      })),
    );
}

describe('the dashboard in Chromium', () => {
  let hub: Awaited<ReturnType<typeof checkoutHub>>;
  let session: DashboardSession;
  let gateway: RunningGateway;
  let page: Page;
  let url: string;
  let firstRun: string;
  let replayRun: string;

  beforeAll(async () => {
    hub = await checkoutHub();
    // No token given to the page: the first test goes through the token dialog.
    session = await openDashboard({
      configPath: join(hub.path, 'baton.config.json'),
      env: checkoutEnv,
      token: TOKEN,
      presetToken: false,
    });
    ({ gateway, url, page } = session);
  });

  afterAll(async () => {
    await session?.close();
    await hub?.remove();
  });

  it('asks for the API token, then shows a webhook’s run as it arrives, without reloading', async () => {
    await page.goto(`${url}/`);
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    const dialog = page.getByRole('dialog', { name: 'API token' });
    await dialog.waitFor(WAIT);
    await screenshot(page, 'token', { fullPage: false });
    await dialog.getByLabel('Token').fill(TOKEN);
    await dialog.getByRole('button', { name: 'Use this token' }).click();
    await page.getByText('No runs yet.').waitFor(WAIT);
    expect(await inPage(page, `sessionStorage.getItem('baton.apiToken')`)).toBe(TOKEN);
    await page.locator('.live-live').waitFor(WAIT);

    // A marker on the document: it survives only if the page is never reloaded.
    await inPage(page, 'window.__sameDocument = true');
    firstRun = await sendOrder(url, 'A-1001');
    const row = page.locator(`tr[data-run="${firstRun}"]`);
    await row.locator('.badge', { hasText: 'failed' }).waitFor(WAIT);
    expect(await inPage(page, 'window.__sameDocument')).toBe(true);
    await expect
      .poll(() => page.locator('button[data-status="failed"] .count').textContent(), WAIT)
      .toBe('1');
    expect(await row.textContent()).toContain('checkout');
    await screenshot(page, 'runs');
  });

  it('shows the run’s timeline with a retry and a fallback, the compensations, and each step’s data', async () => {
    await page.locator(`tr[data-run="${firstRun}"]`).getByRole('link').click();
    await page.waitForURL(`**/dashboard/runs/${firstRun}`);
    await page.locator('.run-head .badge', { hasText: 'failed' }).waitFor(WAIT);

    expect(await bars(page, 'charge', 'step')).toEqual([
      { label: 'try 1', route: '0', outcome: 'failed', action: 'pay.charge' },
      { label: 'retry 1', route: '0', outcome: 'failed', action: 'pay.charge' },
      { label: 'fallback 1', route: '1', outcome: 'succeeded', action: 'backup.charge' },
    ]);
    expect(await bars(page, 'charge', 'compensation')).toEqual([
      { label: 'undo', route: '0', outcome: 'succeeded', action: 'backup.refund' },
    ]);
    expect(await bars(page, 'reserve', 'compensation')).toEqual([
      { label: 'undo', route: '0', outcome: 'succeeded', action: 'shop.release' },
    ]);
    expect(await bars(page, 'ship', 'step')).toEqual([
      { label: 'try 1', route: '0', outcome: 'failed', action: 'shop.ship' },
    ]);

    await page.locator('li.tl-row[data-step="charge"] .tl-bar[data-route="1"]').click();
    const detail = page.locator('.tl-detail');
    await detail.getByText('(fallback route 1)').waitFor(WAIT);
    expect(await detail.textContent()).toContain('backup.charge');

    const ship = page.locator('.steps li[data-step="ship"]');
    expect(await ship.locator('details').getAttribute('open')).not.toBeNull();
    expect(await ship.textContent()).toContain('LABEL_REFUSED');
    expect(await ship.locator('pre.json').first().textContent()).toContain('"order": "A-1001"');
    expect(await page.content()).not.toContain(checkoutEnv.PAY_KEY);

    await screenshot(page, 'run');
    // The README's picture: the summary and the timeline, with the fallback attempt chosen.
    const timeline = await page.locator('section[aria-labelledby="timeline-heading"]').boundingBox();
    const clip = { x: 0, y: 0, width: 1280, height: Math.ceil(timeline!.y + timeline!.height + 16) };
    await page.screenshot({ path: join(SCREENSHOTS, 'run-summary.png'), clip, fullPage: true });
    if (process.env.BATON_UPDATE_DOCS_SCREENSHOTS === '1') {
      await mkdir(join(repoRoot, 'docs/images'), { recursive: true });
      await copyFile(join(SCREENSHOTS, 'run-summary.png'), join(repoRoot, 'docs/images/dashboard-run.png'));
    }
  });

  it('replays the failed run from its page and shows the new run', async () => {
    await page.getByRole('button', { name: 'Replay' }).click();
    await page.waitForURL(
      (address) => /\/dashboard\/runs\/run_/.test(address.pathname) && !address.pathname.endsWith(firstRun),
      WAIT,
    );
    replayRun = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await page
      .getByRole('status')
      .filter({ hasText: `Replay started: run ${replayRun} replays ${firstRun}.` })
      .waitFor(WAIT);
    await page.locator('.run-head .badge', { hasText: 'succeeded' }).waitFor(WAIT);
    await page.locator('.run-head').getByRole('link', { name: firstRun }).waitFor(WAIT);

    const replayed = await gateway.engine.getRun(replayRun);
    expect(replayed).toMatchObject({ replayOf: firstRun, trigger: 'replay', status: 'succeeded' });
    expect(replayed?.audit).toEqual([expect.objectContaining({ action: 'replay', actor: 'dashboard' })]);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Runs' }).click();
    await page.locator(`tr[data-run="${replayRun}"]`).waitFor(WAIT);
    await page.locator(`tr[data-run="${firstRun}"]`).waitFor(WAIT);

    // A run is replayed once: its page links its replay, and Replay again shows that run.
    await page.goto(`${url}/dashboard/runs/${firstRun}`);
    await page.locator('.run-head').getByRole('link', { name: replayRun }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Replay' }).click();
    await page.waitForURL((address) => address.pathname.endsWith(replayRun), WAIT);
    await page
      .getByRole('status')
      .filter({ hasText: `Already replayed: run ${replayRun} replays ${firstRun}.` })
      .waitFor(WAIT);
    expect((await gateway.engine.listRuns({})).runs.filter((r) => r.replayOf === firstRun)).toHaveLength(1);
  });

  it('cancels a waiting run from its page', async () => {
    const { runId } = await gateway.engine.trigger('restock', { sku: 'SKU-7' });
    await page.goto(`${url}/dashboard/runs/${runId}`);
    await page.locator('.run-head .badge', { hasText: 'waiting' }).waitFor(WAIT);
    expect(await bars(page, 'cool-off', 'step')).toEqual([
      { label: 'waiting', route: '0', outcome: 'waiting', action: '' },
    ]);
    expect(await page.getByRole('button', { name: 'Replay' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.locator('.run-head .badge', { hasText: 'cancelled' }).waitFor(WAIT);
    const cancelled = await gateway.engine.getRun(runId);
    expect(cancelled?.status).toBe('cancelled');
    expect(cancelled?.audit).toContainEqual(
      expect.objectContaining({ action: 'cancel', actor: 'dashboard' }),
    );
    expect(await page.getByRole('button', { name: 'Cancel run' }).isDisabled()).toBe(true);
  });

  it('can be used with the keyboard alone, with the focus always visible', async () => {
    await page.goto(`${url}/dashboard/runs`);
    await page.locator(`tr[data-run="${firstRun}"]`).waitFor(WAIT);

    const order: string[] = [];
    for (let i = 0; i < 7; i++) {
      await page.keyboard.press('Tab');
      const now = await focused(page);
      expect(now.outline, `focus ring on ${now.text}`).toBe('solid');
      expect(now.visible).toBe(true);
      order.push(now.text);
    }
    expect(order).toEqual(['Skip to content', 'Baton', 'Runs', 'Failed', 'Approvals', 'Flows', 'Health']);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/dashboard/health');
    // The page moves the focus to its heading once it has rendered, which may be a moment after the URL changed.
    await expect.poll(() => focused(page), { timeout: 5000 }).toMatchObject({ tag: 'h1', text: 'Health' });

    // From the runs list to a run and one of its timeline bars, by keyboard only.
    await page.goto(`${url}/dashboard/runs/${firstRun}`);
    await page.locator('.run-head .badge', { hasText: 'failed' }).waitFor(WAIT);
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await inPage<boolean>(page, `document.activeElement?.classList.contains('tl-bar') ?? false`);
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    expect(await inPage(page, `document.activeElement?.getAttribute('aria-pressed')`)).toBe('true');
    await page.locator('.tl-detail dl').waitFor(WAIT);
    await screenshot(page, 'keyboard-focus', { fullPage: false });
  });

  it('shows connectors with their breaker, the queue, and webhook outcomes by source, live', async () => {
    await page.goto(`${url}/dashboard/health`);
    // The primary payment connector failed three times in a row (twice, then once in the replay): open.
    await page.locator('tr[data-connector="pay"] .badge', { hasText: 'open' }).waitFor(WAIT);
    expect(await page.locator('tr[data-connector="backup"] .badge').textContent()).toBe('closed');
    expect(await page.getByTestId('queue').textContent()).toMatch(/^\d+ waiting, \d+ delayed .*\d+ active$/);
    const shop = page.locator('li.source[data-source="shop"]');
    expect(await shop.locator('tr[data-outcome="accepted"] td').textContent()).toBe('1');

    const unsigned = await fetch(`${url}/webhooks/shop`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned.status).toBe(401);
    await shop.locator('tr[data-outcome="signature_missing"] td', { hasText: '1' }).waitFor(WAIT);
    await screenshot(page, 'health');
  });

  it('draws flows as graphs and shows the problems of a flow file being edited', async () => {
    await page.goto(`${url}/dashboard/flows/checkout`);
    const graph = page.locator('svg.graph');
    await graph.waitFor(WAIT);
    // trigger, 4 steps, 1 fallback, 2 compensations, "run failed" and 1 onFailure step
    expect(await graph.locator('g.node').count()).toBe(10);
    expect(await graph.locator('g.node-fallback').textContent()).toContain('backup.charge');
    expect(await graph.locator('g.edge-label').allTextContents()).toEqual(
      expect.arrayContaining(['fails', 'on rollback', 'if event.data.data.total > 100']),
    );
    await screenshot(page, 'flow');

    // An operator breaks the running flow's file, and adds one that does not parse.
    const edited = structuredClone(checkoutFlow);
    edited.steps[2]!.action = 'shop.shipp';
    await writeFile(join(hub.path, 'flows/checkout.json'), JSON.stringify(edited, null, 2));
    await writeFile(join(hub.path, 'flows/returns.json'), '{ "id": "returns", "steps": [ ');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Flows' }).click();
    await page.getByRole('button', { name: 'Check the files again' }).click();
    const returns = page.locator('.file-report[data-file="flows/returns.json"]');
    await returns.locator('li[data-code="FLOW_JSON_SYNTAX"]').waitFor(WAIT);
    expect(await returns.textContent()).toContain('not loaded');
    const checkout = page.locator('.file-report[data-file="flows/checkout.json"]');
    await checkout.locator('li[data-code="STEP_UNKNOWN_ACTION"]').waitFor(WAIT);
    await screenshot(page, 'flows-diagnostics');

    await checkout.getByRole('link', { name: 'Show on the graph' }).click();
    await page.waitForURL('**/dashboard/flows/checkout');
    await page.locator('svg.graph g.node.invalid[data-pointer="/steps/2"]').waitFor(WAIT);
    expect(await page.locator('svg.graph g.node.invalid').count()).toBe(1);
    expect(await page.locator('.diagnostics li').first().textContent()).toMatch(
      /^flows\/checkout\.json:\d+:\d+ \/steps\/2\/action: .*shipp.* \[STEP_UNKNOWN_ACTION\]$/,
    );
    await screenshot(page, 'flow-diagnostics');
  });

  it('fits a 375-pixel-wide screen on every page', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    const pages: Array<[string, string, string]> = [
      ['runs', '/dashboard/runs', `tr[data-run="${firstRun}"]`],
      ['run', `/dashboard/runs/${firstRun}`, '.tl-bar'],
      ['approvals', '/dashboard/approvals', 'main .empty'],
      ['flows', '/dashboard/flows', '.card'],
      ['flow', '/dashboard/flows/checkout', 'svg.graph'],
      ['health', '/dashboard/health', 'tr[data-connector="pay"]'],
    ];
    for (const [name, path, ready] of pages) {
      await page.goto(`${url}${path}`);
      await page.locator(ready).first().waitFor(WAIT);
      const width = await inPage<number>(page, 'document.documentElement.scrollWidth');
      expect(width, `${path} is ${width}px wide`).toBeLessThanOrEqual(375);
      await screenshot(page, `narrow-${name}`);
    }
    expect(session.browser.problems).toEqual({ errors: [], cspViolations: [] });
  });
});
