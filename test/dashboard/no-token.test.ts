import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type RunningGateway, startGateway } from '@baton/gateway';
import { createEmbeddedBackend, loadHub } from '@baton/runtime';
import pino from 'pino';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutEnv, checkoutHub } from './checkout-hub';

const WAIT = { timeout: 15_000 };
/** A name the browser resolves to 127.0.0.1, as a DNS-rebinding attacker's own name would. */
const REBOUND = 'rebound.test';

/** Serves one page, from another origin than the gateway's: the attacker's. */
async function servePage(html: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

/**
 * Without BATON_API_TOKEN, in a real Chromium: the dashboard (same origin)
 * still acts, while a page of another origin cannot, and a page under a
 * rebound name cannot read.
 */
describe('the gateway without a token, in Chromium', () => {
  let hub: Awaited<ReturnType<typeof checkoutHub>>;
  let gateway: RunningGateway;
  let browser: Browser;
  let page: Page;
  const servers: Server[] = [];

  beforeAll(async () => {
    hub = await checkoutHub();
    const loaded = await loadHub({ configPath: join(hub.path, 'baton.config.json'), env: checkoutEnv });
    gateway = await startGateway({
      hub: loaded,
      backend: createEmbeddedBackend(),
      port: 0,
      log: pino({ level: 'silent' }),
    });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
        `--host-resolver-rules=MAP ${REBOUND} 127.0.0.1`,
      ],
    });
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    await gateway?.close({ drainMs: 1_000 });
    await hub?.remove();
  });

  it('lets the dashboard cancel a run: its requests are same-origin', async () => {
    const { runId } = await gateway.engine.trigger('restock', { sku: 'SKU-7' });
    await page.goto(`${gateway.url}/dashboard/runs/${runId}`);
    await page.locator('.run-head .badge', { hasText: 'waiting' }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.locator('.run-head .badge', { hasText: 'cancelled' }).waitFor(WAIT);
    expect((await gateway.engine.getRun(runId))?.status).toBe('cancelled');
  });

  it('refuses what a page of another origin sends without a preflight: nothing runs, nothing is cancelled', async () => {
    const { runId } = await gateway.engine.trigger('restock', { sku: 'SKU-8' });
    const before = (await gateway.engine.listRuns({ limit: 500 })).runs.length;
    const attacker = await servePage(`<!doctype html>
      <iframe name="sink"></iframe>
      <form id="cancel" method="POST" action="${gateway.url}/api/runs/${runId}/cancel" target="sink" enctype="text/plain">
        <input name='{"a":"' value='"}'>
      </form>
      <script>
        const sink = document.querySelector('iframe');
        sink.addEventListener('load', () => { document.title += ' form'; }, { once: true });
        fetch('${gateway.url}/api/flows/restock/trigger', {
          method: 'POST', mode: 'no-cors', body: JSON.stringify({ data: { sku: 'stolen' } }),
        }).then(() => { document.title += ' fetch'; }, () => { document.title += ' fetch'; });
        document.getElementById('cancel').submit();
      </script>`);
    servers.push(attacker.server);
    await page.goto(attacker.url);
    await expect.poll(() => page.title(), WAIT).toMatch(/^(?=.*fetch)(?=.*form)/);
    const frame = page.frame({ name: 'sink' });
    expect(await frame?.locator('body').textContent()).toContain('ORIGIN_NOT_ALLOWED');
    expect((await gateway.engine.listRuns({ limit: 500 })).runs.length).toBe(before);
    expect((await gateway.engine.getRun(runId))?.status).toBe('waiting');
  });

  it('answers nothing to a page whose own name was rebound to 127.0.0.1', async () => {
    const port = new URL(gateway.url).port;
    const answer = await page.goto(`http://${REBOUND}:${port}/api/runs`);
    expect(answer?.status()).toBe(403);
    expect(await answer?.text()).toContain('HOST_NOT_ALLOWED');
    // The page's own script, same-origin with the rebound name, gets no more.
    const read = await page.evaluate(`fetch('/api/runs').then((r) => r.status)`);
    expect(read).toBe(403);
    expect((await page.goto(`http://${REBOUND}:${port}/dashboard/runs`))?.status()).toBe(403);
  });
});
