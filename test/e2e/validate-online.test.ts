import { type RunningSandbox, startSandbox } from '@baton/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorHub, hubspotWithToken as hubspot, hubspotWithOAuth } from '../helpers/connector-hub';
import { killChildren, spawnBaton } from '../helpers/spawn-baton';

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
    HUBSPOT_CLIENT_SECRET: 'sandbox-secret',
    HUBSPOT_REFRESH_TOKEN: 'sandbox-refresh-token',
    STALE_REFRESH_TOKEN: 'sbx-ort-never-issued-41aa',
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    hub = await connectorHub({
      'baton.config.json': {
        connectors: {
          crm: hubspot(sandbox.url, 'GOOD_TOKEN'),
          legacy: hubspot(sandbox.url, 'FORGED_TOKEN'),
          app: hubspotWithOAuth(sandbox.url),
          stale: hubspotWithOAuth(sandbox.url, {
            clientSecret: 'HUBSPOT_CLIENT_SECRET',
            refreshToken: 'STALE_REFRESH_TOKEN',
          }),
        },
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
    // OAuth2: the refresh token is exchanged for an access token, which the check then uses.
    expect(lines[3]).toMatch(/^✓ app: credentials ok \(\d+ ms\)$/);
    expect(lines[4]).toMatch(/^✗ stale: CREDENTIALS_INVALID: /);
    expect(lines[5]).toBe('✗ 2 of 4 connector instances failed their check');
    expect(code).toBe(1);
    // Tokens are secrets: never printed.
    for (const secret of [env.FORGED_TOKEN, env.STALE_REFRESH_TOKEN, 'sandbox-secret', 'sbx-oat-']) {
      expect(stdout).not.toContain(secret);
    }
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
