import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type RunningSandbox, startSandbox } from '@baton/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examplesDir } from '../helpers/examples';
import { killChildren, spawnBaton } from '../helpers/spawn-baton';

/**
 * A hub folder inside examples/ (git-ignored .tmp), so `@baton/connector-*`
 * resolve as they do for the example hub; removed by `remove`.
 */
async function connectorHub(files: Record<string, object>) {
  await mkdir(join(examplesDir, '.tmp'), { recursive: true });
  const path = await mkdtemp(join(examplesDir, '.tmp', 'online-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(path, name)), { recursive: true });
    await writeFile(join(path, name), JSON.stringify(content, null, 2));
  }
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A HubSpot instance on the sandbox with a private app token from `$env`. */
const hubspot = (url: string, tokenVariable: string) => ({
  use: '@baton/connector-hubspot',
  config: { baseUrl: `${url}/hubspot`, accessToken: { $env: tokenVariable } },
  egress: { allow: ['loopback'] },
});

/** What `baton validate --online` printed and how it exited. */
async function validateOnline(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]) {
  const child = spawnBaton(['validate', '--online', ...args], { cwd, env });
  const code = await child.exited;
  return { code, ...child.output() };
}

describe('baton validate --online', () => {
  let sandbox: RunningSandbox;
  let hub: Awaited<ReturnType<typeof connectorHub>>;
  const { REDIS_URL: _redis, ...parentEnv } = process.env;
  const env = {
    ...parentEnv,
    NO_COLOR: '1',
    GOOD_TOKEN: 'pat-na1-validate-online-ok',
    // The sandbox's authority issued no such token: HubSpot refuses it as it refuses a revoked one.
    FORGED_TOKEN: 'sbx-oat-forged-0c9d8e',
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    hub = await connectorHub({
      'baton.config.json': {
        connectors: { crm: hubspot(sandbox.url, 'GOOD_TOKEN'), legacy: hubspot(sandbox.url, 'FORGED_TOKEN') },
      },
      'good.config.json': { connectors: { crm: hubspot(sandbox.url, 'GOOD_TOKEN') } },
      'other/typo.json': { id: 'typo', steps: [{ id: 'find', action: 'crm.find-contacts', input: {} }] },
      'flows/deal.json': {
        id: 'deal',
        steps: [{ id: 'find', action: 'crm.find-contact', input: { email: 'a@example.com' } }],
      },
    });
  });

  afterAll(async () => {
    killChildren();
    await hub?.remove();
    await sandbox?.close();
  });

  it('checks every instance with its provider, one line each, and exits 1 when one fails', async () => {
    const { code, stdout, stderr } = await validateOnline(hub.path, env);
    expect(stderr).toBe('');
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('✓ 1 flow valid');
    expect(lines[1]).toMatch(/^✓ crm: credentials ok \(\d+ ms\)$/);
    expect(lines[2]).toMatch(/^✗ legacy: HUBSPOT_INVALID_AUTHENTICATION: /);
    expect(lines[3]).toBe('✗ 1 of 2 connector instances failed their check');
    expect(code).toBe(1);
    // The refused token is a secret: it is never printed.
    expect(stdout).not.toContain(env.FORGED_TOKEN);
  });

  it('exits 0 when every check passes; checks nothing while the files are invalid or a secret is missing', async () => {
    const good = await validateOnline(hub.path, env, '--config', 'good.config.json');
    expect(good.stdout).toMatch(/✓ crm: credentials ok/);
    expect(good.stdout).toContain('✓ 1 connector instance online');
    expect(good.code).toBe(0);

    const invalid = await validateOnline(hub.path, env, 'other/typo.json');
    expect(invalid.stdout).toContain('[STEP_UNKNOWN_ACTION]');
    expect(invalid.stdout).not.toContain('credentials');
    expect(invalid.code).toBe(1);

    const { GOOD_TOKEN: _unset, ...withoutToken } = env;
    const missing = await validateOnline(hub.path, withoutToken, '--config', 'good.config.json');
    expect(missing.stderr).toContain('GOOD_TOKEN');
    expect(missing.stdout).not.toContain('credentials');
    expect(missing.code).toBe(1);
  });
});
