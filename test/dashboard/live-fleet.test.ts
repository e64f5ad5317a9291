import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port';
import { disposableRedisBackend, redisUrl, uniquePrefix } from '../helpers/redis';
import { reserveHub } from '../helpers/reserve-hub';
import { killChildren, spawnBuiltBaton } from '../helpers/spawn-baton';
import { screenshot } from './browser';
import { type DashboardSession, openDashboard } from './dashboard-session';

const TOKEN = 'dashboard-token-live-fleet-7c1d';
const WAIT = { timeout: 20_000 };
/** Longer than the test: the page cannot learn of the run by polling, only through the event stream. */
const NO_SAFETY_POLL_MS = 60 * 60_000;

/**
 * A gateway without a worker (`baton serve --no-worker`) on Redis, and the
 * dashboard of a run that a `baton worker` in another process runs: the
 * page follows the run live, through the events the worker publishes, with
 * the pages' safety poll set beyond the test's length.
 */
describe('live updates of runs another process moves, in Chromium', () => {
  let folder: Awaited<ReturnType<typeof reserveHub>>;
  let session: DashboardSession;
  let page: Page;
  const prefix = uniquePrefix('live-dash');

  beforeAll(async () => {
    folder = await reserveHub();
    session = await openDashboard({
      configPath: join(folder.path, 'baton.config.json'),
      env: {},
      token: TOKEN,
      backend: await disposableRedisBackend({ prefix }),
      worker: false,
      safetyPollMs: NO_SAFETY_POLL_MS,
    });
    page = session.page;
  });
  afterAll(async () => {
    killChildren();
    await session?.close();
    await folder?.remove();
  });

  it('shows the run a separate baton worker runs, as it moves', async () => {
    const { runId } = await session.gateway.engine.trigger('order', { sku: 'A-1' });
    await page.goto(`${session.url}/dashboard/runs/${runId}`);
    const status = page.locator('p.run-status .badge');
    await status.waitFor(WAIT);
    expect(await status.textContent()).toBe('queued');
    const indicator = page.locator('header .live');
    await expect.poll(() => indicator.textContent(), WAIT).toBe('live');
    expect(await indicator.getAttribute('title')).toBe(
      'Live updates of every process of the hub from /api/events',
    );

    const worker = spawnBuiltBaton(['worker', '--port', String(await freePort())], {
      cwd: folder.path,
      env: { ...process.env, REDIS_URL: redisUrl, BATON_REDIS_PREFIX: prefix },
    });
    await worker.waitFor(/worker started/);
    await expect.poll(() => status.textContent(), WAIT).toBe('succeeded');
    await screenshot(page, 'live-fleet-run');
    await worker.stop();
    expect(await worker.exited).toBe(0);
  });
});
