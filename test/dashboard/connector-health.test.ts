import { join } from 'node:path';
import { type RunningSandbox, startSandbox } from '@baton/sandbox';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorHub, hubspotWithOAuth, hubspotWithToken } from '../helpers/connector-hub';
import { screenshot } from './browser';
import { type DashboardSession, openDashboard } from './dashboard-session';

const TOKEN = 'dashboard-token-health-2f7c';
const WAIT = { timeout: 15_000 };

/**
 * The health page's connector rows against the sandbox: a HubSpot instance
 * on OAuth2 whose grant the test revokes, and one with a token HubSpot
 * refuses.
 */
describe('connector health in the dashboard in Chromium', () => {
  let sandbox: RunningSandbox;
  let hub: Awaited<ReturnType<typeof connectorHub>>;
  let session: DashboardSession;
  let page: Page;

  const row = (name: string) => page.locator(`tr[data-connector="${name}"]`);
  const cell = (name: string, which: string) => row(name).locator(`td[data-cell="${which}"]`);

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    hub = await connectorHub({
      'baton.config.json': {
        flows: './flows',
        connectors: {
          crm: {
            ...hubspotWithOAuth(sandbox.url),
            limits: { rate: { requests: 50, per: '10s' }, concurrency: 4 },
          },
          legacy: hubspotWithToken(sandbox.url, 'LEGACY_TOKEN'),
        },
      },
      'flows/find.json': {
        id: 'find',
        steps: [{ id: 'find', action: 'crm.find-contact', input: { email: 'ada@example.com' } }],
      },
    });
    session = await openDashboard({
      configPath: join(hub.path, 'baton.config.json'),
      env: {
        HUBSPOT_CLIENT_SECRET: 'sandbox-secret',
        HUBSPOT_REFRESH_TOKEN: 'sandbox-refresh-token',
        // The sandbox's authority issued no such token: HubSpot refuses it.
        LEGACY_TOKEN: 'sbx-oat-forged-77b1',
      },
      token: TOKEN,
      conditions: ['@baton/source'],
    });
    page = session.page;
  });

  afterAll(async () => {
    await session?.close();
    await hub?.remove();
    await sandbox?.close();
  });

  it("shows each instance's credentials, last check, breaker and budget", async () => {
    await page.goto(`${session.url}/dashboard/health`);
    await cell('crm', 'check').locator('.badge', { hasText: 'ok' }).waitFor(WAIT);
    await cell('crm', 'credentials').locator('.badge', { hasText: 'valid' }).waitFor(WAIT);
    expect(await cell('crm', 'credentials').textContent()).toMatch(/token expires/);
    expect(await cell('crm', 'check').textContent()).toMatch(/s ago, took \d+/);
    expect(await cell('crm', 'breaker').textContent()).toBe('closed0 failures');
    expect(await cell('crm', 'budget').textContent()).toMatch(
      /^\d+ in flight · \d+ in window · \d+ waiting$/,
    );

    await cell('legacy', 'check').locator('.badge', { hasText: 'failing' }).waitFor(WAIT);
    expect(await cell('legacy', 'check').textContent()).toContain('HUBSPOT_INVALID_AUTHENTICATION');
    expect(await cell('legacy', 'credentials').textContent()).toBe('static (no OAuth2)');
    await screenshot(page, 'connector-health');
  });

  it('"Check now" checks again at once and shows a revoked grant as needs reconnect, with the reason', async () => {
    const before = await cell('crm', 'check').locator('time').getAttribute('datetime');
    expect((await fetch(`${sandbox.url}/_sandbox/oauth/revoke`, { method: 'POST', body: '{}' })).status).toBe(
      200,
    );
    await row('crm').getByRole('button', { name: 'Check crm now' }).click();

    const credentials = cell('crm', 'credentials');
    await credentials.locator('.badge', { hasText: 'needs reconnect' }).waitFor(WAIT);
    expect(await credentials.locator('.reason').textContent()).toMatch(/\S/);
    expect(await credentials.textContent()).toContain('Put new credentials in the config and restart.');
    await cell('crm', 'check').locator('.badge', { hasText: 'refused' }).waitFor(WAIT);
    expect(await cell('crm', 'check').textContent()).toContain('CREDENTIALS_INVALID');
    expect(await cell('crm', 'check').locator('time').getAttribute('datetime')).not.toBe(before);
    await expect.poll(() => row('crm').getByRole('button', { name: 'Check crm now' }).isEnabled()).toBe(true);

    // What the page shows, the API and the metric say too.
    const health = (await (
      await fetch(`${session.url}/api/connectors/crm/health`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      })
    ).json()) as { status: string; credentials: { state: string } };
    expect(health).toMatchObject({ status: 'needs-reconnect', credentials: { state: 'needs-reconnect' } });
    const metrics = await (
      await fetch(`${session.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).text();
    expect(metrics).toContain('baton_connector_credentials_valid{instance="crm"} 0');
    await screenshot(page, 'connector-needs-reconnect');
    expect(session.browser.problems).toEqual({ errors: [], cspViolations: [] });
  });
});
