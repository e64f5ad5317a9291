import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { RunningGateway } from '@baton/gateway';
import type { Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inPage, screenshot } from './browser';
import { checkoutEnv, checkoutHub, SHOP_SECRET } from './checkout-hub';
import { type DashboardSession, openDashboard } from './dashboard-session';

const TOKEN = 'dashboard-token-approvals-81c4';
const WAIT = { timeout: 15_000 };
/** A title built from webhook data that would run as code if it were ever parsed as HTML. */
const HOSTILE = '<img src=x onerror=alert(1)>';

/** An access request waits for an admin's decision, then grants the access. */
const accessFlow = {
  id: 'grant-access',
  trigger: { source: 'shop', event: 'access.requested' },
  steps: [
    {
      id: 'approve',
      timeout: '2d',
      approval: {
        title: 'Admin access for {{ event.data.data.email }}?',
        details: 'Asked by {{ event.data.data.by }}',
      },
    },
    {
      id: 'grant',
      action: 'shop.notify',
      input: { text: 'granted to {{ event.data.data.email }} by {{ steps.approve.output.by }}' },
    },
  ],
};

/** A sent invoice waits for the shop's `invoice.paid` event of the same invoice. */
const invoiceFlow = {
  id: 'await-invoice',
  trigger: { source: 'shop', event: 'invoice.sent' },
  steps: [
    {
      id: 'paid',
      timeout: '3d',
      wait: {
        source: 'shop',
        event: 'invoice.paid',
        key: '{{ event.data.data.invoice }}',
        eventKey: '{{ event.data.data.invoice }}',
      },
    },
    { id: 'thank', action: 'shop.notify', input: { text: 'thanks for {{ event.data.data.invoice }}' } },
  ],
};

/** Posts a webhook of the `shop` source, signed as Standard Webhooks senders sign it; the runs it started. */
async function sendShop(url: string, type: string, data: Record<string, unknown>): Promise<string[]> {
  const body = JSON.stringify({ type, timestamp: new Date().toISOString(), data });
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
  return ((await response.json()) as { runs: Array<{ runId: string }> }).runs.map((r) => r.runId);
}

/** The seconds a timeline bar says it lasted ("… for 2.0 s"). */
async function barSeconds(page: Page, selector: string): Promise<number> {
  const title = (await page.locator(selector).getAttribute('title')) ?? '';
  const match = /for ([\d.]+) (ms|s)$/.exec(title);
  if (!match) throw new Error(`no duration in "${title}"`);
  return Number(match[1]) / (match[2] === 'ms' ? 1_000 : 1);
}

describe('steps that wait, in the dashboard in Chromium', () => {
  let hub: Awaited<ReturnType<typeof checkoutHub>>;
  let session: DashboardSession;
  let gateway: RunningGateway;
  let page: Page;
  let url: string;
  const dialogs: string[] = [];
  let hostileRun: string;
  let mariaRun: string;

  const waitingStep = async (runId: string, step: string) =>
    expect
      .poll(async () => (await gateway.engine.getRun(runId))?.steps.find((s) => s.id === step)?.status, WAIT)
      .toBe('waiting');

  beforeAll(async () => {
    hub = await checkoutHub({ 'grant-access': accessFlow, 'await-invoice': invoiceFlow });
    // The token as the dialog would have kept it (the dialog itself is dashboard.test.ts's subject).
    session = await openDashboard({
      configPath: join(hub.path, 'baton.config.json'),
      env: checkoutEnv,
      token: TOKEN,
    });
    ({ gateway, url, page } = session);
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  });

  afterAll(async () => {
    await session?.close();
    await hub?.remove();
  });

  it('shows what a wait step waits for, and its wait as a bar that grows until the event ends it', async () => {
    const [runId] = await sendShop(url, 'invoice.sent', { invoice: 'inv_42' });
    await waitingStep(runId!, 'paid');
    await page.goto(`${url}/dashboard/runs/${runId}`);
    const waiting = page.locator('.waiting-panel li[data-step="paid"]');
    await waiting.waitFor(WAIT);
    expect(await waiting.locator('.wait-for').textContent()).toBe('invoice.paid from shop for inv_42');
    expect(await waiting.locator('dt').allTextContents()).toEqual([
      'Waits for',
      'Waiting since',
      'Times out at',
    ]);
    // Nothing to decide on a wait for an event.
    expect(await waiting.getByRole('button', { name: 'Approve' }).count()).toBe(0);

    const bar = 'li.tl-row[data-step="paid"] .tl-bar[data-kind="wait"]';
    expect(await page.locator(bar).getAttribute('data-outcome')).toBe('waiting');
    expect(await page.locator(bar).textContent()).toBe('waiting for event');
    // Drawn unlike a running call: dotted, not dashed.
    expect(
      await inPage<string>(
        page,
        `getComputedStyle(document.querySelector(${JSON.stringify(bar)})).borderTopStyle`,
      ),
    ).toBe('dotted');
    const before = await barSeconds(page, bar);
    await expect.poll(() => barSeconds(page, bar), WAIT).toBeGreaterThan(before + 0.9);
    await screenshot(page, 'run-waiting-for-event');

    await sendShop(url, 'invoice.paid', { invoice: 'inv_42' });
    await page.locator('.run-head .badge', { hasText: 'succeeded' }).waitFor(WAIT);
    await page.locator(`${bar}[data-outcome="succeeded"]`).waitFor(WAIT);
    expect(await page.locator(bar).textContent()).toBe('event received');
    expect(await page.locator('.waiting-panel').count()).toBe(0);
    // Ended, the bar stops at the step's end.
    const ended = await barSeconds(page, bar);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(await barSeconds(page, bar)).toBe(ended);
  });

  it('lists the approvals waiting across runs, with a title from webhook data shown as text', async () => {
    [hostileRun] = (await sendShop(url, 'access.requested', { email: HOSTILE, by: 'mallory' })) as [string];
    [mariaRun] = (await sendShop(url, 'access.requested', { email: 'maria@example.com', by: 'ops' })) as [
      string,
    ];
    await waitingStep(hostileRun, 'approve');
    await waitingStep(mariaRun, 'approve');

    await page.goto(`${url}/dashboard/runs`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals' }).click();
    await page.waitForURL('**/dashboard/approvals');
    await page.getByRole('heading', { level: 1, name: 'Waiting for a decision' }).waitFor(WAIT);
    const items = page.locator('li.approval');
    await expect.poll(() => items.count(), WAIT).toBe(2);
    // The longest waiting first.
    expect(await items.evaluateAll((e) => e.map((li) => li.getAttribute('data-run')))).toEqual([
      hostileRun,
      mariaRun,
    ]);

    const hostile = page.locator(`li.approval[data-run="${hostileRun}"]`);
    expect(await hostile.locator('h2').textContent()).toBe(`Admin access for ${HOSTILE}?`);
    expect(await hostile.locator('.approval-details').textContent()).toBe('Asked by mallory');
    expect(await page.locator('main img').count()).toBe(0);
    expect(await hostile.getByRole('link', { name: 'grant-access' }).getAttribute('href')).toBe(
      '/dashboard/flows/grant-access',
    );
    expect(await hostile.getByRole('link', { name: hostileRun }).getAttribute('href')).toBe(
      `/dashboard/runs/${hostileRun}`,
    );
    expect(await hostile.locator('dt').allTextContents()).toEqual([
      'Flow',
      'Run',
      'Waiting since',
      'Times out at',
    ]);
    expect(await hostile.getByRole('group').getByRole('button', { name: 'Approve' }).isEnabled()).toBe(true);
    expect(await hostile.getByRole('group').getByRole('button', { name: 'Reject' }).isEnabled()).toBe(true);
    // One approver, one name: typed in one form, every form has it.
    await hostile.getByLabel('Your name').fill('maria');
    expect(
      await page.locator(`li.approval[data-run="${mariaRun}"]`).getByLabel('Your name').inputValue(),
    ).toBe('maria');
    await screenshot(page, 'approvals');

    await page.setViewportSize({ width: 375, height: 812 });
    expect(await inPage<number>(page, 'document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await screenshot(page, 'narrow-approvals');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('approves from the run page: the decided step, the audit trail, and the run goes on to succeed', async () => {
    await page.goto(`${url}/dashboard/runs/${mariaRun}`);
    const panel = page.locator('.waiting-panel');
    await panel.locator('li[data-step="approve"]').waitFor(WAIT);
    expect(await panel.locator('.approval-title').textContent()).toBe('Admin access for maria@example.com?');
    expect(await panel.locator('.approval-details').textContent()).toBe('Asked by ops');
    const bar = page.locator('li.tl-row[data-step="approve"] .tl-bar[data-kind="wait"]');
    expect(await bar.textContent()).toBe('waiting for a decision');

    await panel.getByLabel('Your name').fill('maria');
    await panel.getByLabel('Comment').fill('her team lead asked');
    await panel.getByRole('button', { name: 'Approve' }).click();
    await panel.getByRole('status').filter({ hasText: 'Approved step approve.' }).waitFor(WAIT);
    await page.locator('.run-head .badge', { hasText: 'succeeded' }).waitFor(WAIT);

    const step = page.locator('.steps li[data-step="approve"]');
    expect(await step.locator('.decision-made').textContent()).toMatch(
      /^Approved by maria at .+: her team lead asked$/,
    );
    expect(await page.locator('.audit li[data-action="approve"]').textContent()).toContain(
      'approve by maria (step approve: her team lead asked)',
    );
    expect(await bar.getAttribute('data-outcome')).toBe('succeeded');
    expect(await bar.textContent()).toBe('approved');

    const run = await gateway.engine.getRun(mariaRun);
    expect(run?.status).toBe('succeeded');
    expect(run?.steps.find((s) => s.id === 'approve')?.output).toMatchObject({
      decision: 'approve',
      by: 'maria',
      comment: 'her team lead asked',
    });
    expect(run?.steps.find((s) => s.id === 'grant')?.status).toBe('succeeded');
    await screenshot(page, 'run-approved');

    // The name is remembered for the next decision, in this browser.
    expect(await inPage(page, `localStorage.getItem('baton.approverName')`)).toBe('maria');
    await page.goto(`${url}/dashboard/runs/${hostileRun}`);
    await page.locator('.waiting-panel').getByLabel('Your name').waitFor(WAIT);
    expect(await page.locator('.waiting-panel').getByLabel('Your name').inputValue()).toBe('maria');
    expect(await page.locator('.waiting-panel .approval-title').textContent()).toBe(
      `Admin access for ${HOSTILE}?`,
    );
  });

  it('says so when someone else decided first (409), and shows the list as it is now', async () => {
    // The page's timers stand still and its live event stream is cut, so it cannot refresh on its
    // own between the other decision and the click (under load, a live update could win the race).
    await page.route('**/api/events**', (route) => route.abort());
    await page.clock.install();
    await page.goto(`${url}/dashboard/approvals`);
    const item = page.locator(`li.approval[data-run="${hostileRun}"]`);
    await item.waitFor(WAIT);
    await page.clock.pauseAt((await inPage<number>(page, 'Date.now()')) + 1_000);

    const elsewhere = await fetch(`${url}/api/runs/${hostileRun}/steps/approve/decision`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'reject', by: 'bob', comment: 'not an email' }),
    });
    expect(elsewhere.status).toBe(200);
    // Long enough for a live refresh, had the page's timers run.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await item.count()).toBe(1);

    await item.getByRole('button', { name: 'Approve' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Your decision was not recorded' });
    await alert.waitFor(WAIT);
    expect(await alert.textContent()).toContain('someone decided first');
    await page.getByText('Nothing is waiting for a decision.').waitFor(WAIT);
    await page.clock.resume();
    await page.unroute('**/api/events**');

    const run = await gateway.engine.getRun(hostileRun);
    expect(run?.steps.find((s) => s.id === 'approve')?.output).toMatchObject({
      decision: 'reject',
      by: 'bob',
    });
    expect(run?.audit.filter((a) => a.action === 'approve' || a.action === 'reject')).toEqual([
      expect.objectContaining({ action: 'reject', actor: 'bob' }),
    ]);

    // The rejected step on its run page: the decision, and the wait ended red.
    await page.goto(`${url}/dashboard/runs/${hostileRun}`);
    await page.locator('.run-head .badge', { hasText: 'failed' }).waitFor(WAIT);
    expect(await page.locator('.steps li[data-step="approve"] .decision-made').textContent()).toMatch(
      /^Rejected by bob at .+: not an email$/,
    );
    expect(
      await page
        .locator('li.tl-row[data-step="approve"] .tl-bar[data-kind="wait"]')
        .getAttribute('data-outcome'),
    ).toBe('failed');
    expect(await page.locator('main img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(session.browser.problems).toEqual({ errors: [], cspViolations: [] });
  });
});
