import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baton, hubFolder } from '../helpers/cli';

/** A connector whose instances authenticate with OAuth2 when their config says so. */
const OAUTH_CONNECTOR = `
import { defineAction, defineConnector } from '@baton/sdk';
import { z } from 'zod';

export default defineConnector({
  name: 'crm',
  config: z.object({ tokenUrl: z.string().optional(), apiKey: z.string().optional() }),
  auth: (config) =>
    config.tokenUrl
      ? { type: 'oauth2', grant: 'client_credentials', tokenUrl: config.tokenUrl, clientId: 'baton', clientSecret: 'secret' }
      : undefined,
  actions: {
    ping: defineAction({ input: z.object({}), output: z.object({}), async run() { return {}; } }),
  },
});
`;

/**
 * On Redis, OAuth2 tokens are shared by every process and kept only
 * encrypted: `baton worker` and `baton serve` refuse to start a hub with an
 * OAuth2 instance without BATON_CREDENTIALS_KEY, before connecting to Redis.
 */
describe('BATON_CREDENTIALS_KEY at start-up', () => {
  let hub: Awaited<ReturnType<typeof hubFolder>>;
  // Nothing listens there: a start that got as far as Redis would fail with BACKEND_UNAVAILABLE instead.
  const {
    BATON_CREDENTIALS_KEY: _key,
    BATON_CREDENTIALS_KEY_PREVIOUS: _previous,
    ...parentEnv
  } = process.env;
  const env: NodeJS.ProcessEnv = { ...parentEnv, REDIS_URL: 'redis://127.0.0.1:1' };

  beforeAll(async () => {
    hub = await hubFolder({
      'baton.config.json': {
        flows: './flows',
        connectors: {
          crm: { use: './connectors/crm.mjs', config: { tokenUrl: 'https://login.example.com/token' } },
          static: { use: './connectors/crm.mjs', config: { apiKey: 'k' } },
        },
      },
      'connectors/crm.mjs': OAUTH_CONNECTOR,
      'flows/ping.json': { id: 'ping', steps: [{ id: 'ping', action: 'crm.ping', input: {} }] },
      'static.config.json': {
        flows: './flows-static',
        connectors: { crm: { use: './connectors/crm.mjs', config: { apiKey: 'k' } } },
      },
      'flows-static/ping.json': { id: 'ping', steps: [{ id: 'ping', action: 'crm.ping', input: {} }] },
    });
  });
  afterAll(() => hub?.remove());

  it('is required on Redis when an instance uses OAuth2', async () => {
    for (const command of [['worker'], ['serve', '--port', '0']]) {
      const result = await baton(command, hub.path, env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        'error CREDENTIALS_KEY_MISSING: connector instance "crm" uses OAuth2, and on Redis OAuth2 tokens are kept only encrypted: set BATON_CREDENTIALS_KEY',
      );
    }
  });

  it('must be 32 bytes, and is not asked for without OAuth2', async () => {
    const short = await baton(['worker'], hub.path, { ...env, BATON_CREDENTIALS_KEY: 'c2hvcnQ=' });
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('error CREDENTIALS_KEY_INVALID: BATON_CREDENTIALS_KEY must be 32 bytes');

    // With a good key, or no OAuth2 instance, the start goes on to Redis (which is not there).
    const keyed = await baton(['worker'], hub.path, {
      ...env,
      BATON_CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    });
    expect(keyed.stderr).toContain('BACKEND_UNAVAILABLE');
    const staticOnly = await baton(['worker', '--config', 'static.config.json'], hub.path, env);
    expect(staticOnly.stderr).toContain('BACKEND_UNAVAILABLE');
  });
});
