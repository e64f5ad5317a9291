import { type RunningGateway, startGateway } from '@baton/gateway';
import { type Backend, createEmbeddedBackend, loadHub } from '@baton/runtime';
import pino from 'pino';
import type { Page } from 'playwright-core';
import { openBrowser } from './browser';

/** Options of `openDashboard`. */
export interface DashboardSessionOptions {
  /** The hub's baton.config.json. */
  configPath: string;
  /** What its `{ "$env" }` values read. */
  env: Record<string, string>;
  /** The admin API token the gateway requires. */
  token: string;
  /**
   * Start the page with the token as the token dialog keeps it (in
   * sessionStorage). False for a test of the dialog itself. @default true
   */
  presetToken?: boolean;
  /** Export conditions for resolving connector packages (`@baton/source` for the workspace's). @default [] */
  conditions?: string[];
  /** The gateway's backend (closed with the session). @default a new embedded backend */
  backend?: Backend;
  /** Whether the gateway runs a worker too; false is `baton serve --no-worker`. @default true */
  worker?: boolean;
  /** How often pages still refetch while the live stream is fleet-wide. @default the gateway's */
  safetyPollMs?: number;
}

/** A gateway serving the dashboard, and Chromium to look at it. */
export interface DashboardSession {
  gateway: RunningGateway;
  url: string;
  browser: Awaited<ReturnType<typeof openBrowser>>;
  page: Page;
  /** Closes the browser, then the gateway (its backend with it). */
  close(): Promise<void>;
}

/**
 * The set-up every dashboard test shares: the hub loaded and served by a
 * gateway with a worker (unless told otherwise), on the embedded backend
 * (or the one given), on a free port, with the API token required;
 * Chromium on a fresh profile.
 */
export async function openDashboard(options: DashboardSessionOptions): Promise<DashboardSession> {
  const hub = await loadHub({
    configPath: options.configPath,
    env: options.env,
    ...(options.conditions ? { conditions: options.conditions } : {}),
  });
  const gateway = await startGateway({
    hub,
    backend: options.backend ?? createEmbeddedBackend(),
    port: 0,
    apiToken: options.token,
    log: pino({ level: 'silent' }),
    ...(options.worker === undefined ? {} : { worker: options.worker }),
    ...(options.safetyPollMs === undefined ? {} : { safetyPollMs: options.safetyPollMs }),
  });
  let browser: DashboardSession['browser'];
  try {
    browser = await openBrowser();
  } catch (error) {
    await gateway.close({ drainMs: 0 });
    throw error;
  }
  if (options.presetToken ?? true) {
    await browser.page
      .context()
      .addInitScript(`sessionStorage.setItem('baton.apiToken', ${JSON.stringify(options.token)})`);
  }
  return {
    gateway,
    url: gateway.url,
    browser,
    page: browser.page,
    async close() {
      await browser.close();
      await gateway.close({ drainMs: 1_000 });
    },
  };
}
