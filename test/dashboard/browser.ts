import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { repoRoot, tempDir } from '../helpers/workspace';

/** Where the dashboard tests leave their screenshots (git-ignored). */
export const SCREENSHOTS = join(repoRoot, 'test-results/dashboard');

/** Debian's Chromium, headless, with nothing that reaches the network on its own. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** What the page reported that a test should fail on. */
export interface PageProblems {
  errors: string[];
  cspViolations: string[];
}

/**
 * Starts Chromium with a fresh profile and opens one page. `close` ends the
 * browser and removes the profile.
 */
export async function openBrowser(viewport = { width: 1280, height: 900 }) {
  const profile = await tempDir('baton-chromium-');
  await mkdir(SCREENSHOTS, { recursive: true });
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile.path, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      viewport,
    });
  } catch (error) {
    await profile.remove();
    throw error;
  }
  const page: Page = context.pages()[0] ?? (await context.newPage());
  const problems: PageProblems = { errors: [], cspViolations: [] };
  page.on('pageerror', (error) => problems.errors.push(error.message));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) problems.cspViolations.push(message.text());
  });
  return {
    page,
    problems,
    async close() {
      await context.close();
      await profile.remove();
    },
  };
}

/** Saves a screenshot as a test artefact under test-results/dashboard/. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: options.fullPage ?? true });
}

/**
 * Runs an expression in the page. Written as text because the test project
 * compiles for Node, without the DOM's types.
 */
export function inPage<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

/** The tag, text, outline style and visibility of the element that has focus. */
export function focused(page: Page) {
  return inPage<{ tag: string; text: string; outline: string; visible: boolean }>(
    page,
    `(() => {
      const element = document.activeElement;
      return {
        tag: element ? element.tagName.toLowerCase() : '',
        text: element ? element.textContent.trim() : '',
        outline: element ? getComputedStyle(element).outlineStyle : '',
        visible: element ? element.getBoundingClientRect().top >= 0 : false,
      };
    })()`,
  );
}
