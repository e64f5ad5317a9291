import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../_test-cli';
import { version } from '../version';

/** `baton init` in-process: what it writes, and what it refuses. Installing and running a hub is test/e2e/own-hub.test.ts. */
describe('baton init', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'baton-init-'));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  const init = (argv: string[]) => runInProcess(['init', ...argv], folder);
  const read = async (file: string) => JSON.parse(await readFile(join(folder, file), 'utf8'));

  it('writes a hub that depends on the registry, with scripts that read .env, and says what to run next', async () => {
    const { code, stdout } = await init(['My Hub']);
    expect(code).toBe(0);
    expect(stdout).toContain('Created a Baton hub in My Hub with 8 files:');
    expect(stdout).toContain('  cd My Hub\n  npm install\n  npm run validate\n');
    const manifest = await read('My Hub/package.json');
    expect(manifest).toMatchObject({
      name: 'my-hub',
      private: true,
      type: 'module',
      dependencies: {
        '@baton/cli': `^${version}`,
        '@baton/connector-http': 'latest',
        '@baton/connector-slack': 'latest',
      },
    });
    expect(manifest.overrides).toBeUndefined();
    expect(manifest.scripts.serve).toBe('node --env-file=.env node_modules/@baton/cli/dist/bin.js serve');
    const config = await read('My Hub/baton.config.json');
    expect(Object.keys(config.connectors)).toEqual(['http', 'slack']);
    expect(config.sources.app.verify.secret).toEqual({ $env: 'APP_WEBHOOK_SECRET' });
    const flow = await read('My Hub/flows/alert-raised.json');
    expect(flow.steps.map((s: { action: string }) => s.action)).toEqual([
      'http.request',
      'slack.send-message',
    ]);
    // Every variable the config reads has a value in .env.example, and .env is its copy.
    const env = await readFile(join(folder, 'My Hub/.env.example'), 'utf8');
    for (const name of ['OPS_API_TOKEN', 'SLACK_BOT_TOKEN', 'APP_WEBHOOK_SECRET'])
      expect(env).toMatch(new RegExp(`^${name}=\\S+`, 'm'));
    expect(await readFile(join(folder, 'My Hub/.env'), 'utf8')).toBe(env);
    expect(await readFile(join(folder, 'My Hub/.gitignore'), 'utf8')).toContain('.env\n');
    expect(await readFile(join(folder, 'My Hub/README.md'), 'utf8')).toMatch(/^# my-hub\n/);
  });

  it('shapes the first flow to the connectors chosen, and fills a folder that holds only .git', async () => {
    await mkdir(join(folder, 'slack-only/.git'), { recursive: true });
    expect((await init(['slack-only', '--connectors', 'slack,stripe', '--name', '@acme/hub'])).code).toBe(0);
    const flow = await read('slack-only/flows/alert-raised.json');
    expect(flow.steps).toEqual([expect.objectContaining({ action: 'slack.send-message' })]);
    expect(flow.output).toBeUndefined();
    expect(Object.keys((await read('slack-only/baton.config.json')).connectors)).toEqual(['slack', 'stripe']);
    expect((await read('slack-only/package.json')).name).toBe('@acme/hub');
  });

  it('refuses a folder in use, unknown connectors, a hub without http or slack, a bad name and bad --packages', async () => {
    await mkdir(join(folder, 'used'));
    await writeFile(join(folder, 'used/notes.txt'), 'mine');
    const refusals = [
      [['used'], 'DIRECTORY_NOT_EMPTY', /already holds notes\.txt/],
      [
        ['a', '--connectors', 'http,salesforce'],
        'OPTION_INVALID',
        /no first-party connector "salesforce"; choose from http, slack, /,
      ],
      [['b', '--connectors', 'stripe'], 'OPTION_INVALID', /the first flow calls http or slack/],
      [['c', '--name', 'Not A Name'], 'OPTION_INVALID', /--name: "Not A Name" is not an npm package name/],
      [['d', '--packages', 'nowhere'], 'PACKAGES_INVALID', /no such folder/],
    ] as const;
    for (const [argv, code, message] of refusals) {
      const { code: exit, stderr } = await init([...argv]);
      expect([argv[0], exit, stderr]).toEqual([
        argv[0],
        1,
        expect.stringMatching(new RegExp(`^error ${code}: `)),
      ]);
      expect(stderr).toMatch(message);
    }
    // Nothing half-made is left behind.
    for (const dir of ['a', 'b', 'c', 'd'])
      await expect(readFile(join(folder, dir, 'package.json'))).rejects.toThrow();
  });
});
