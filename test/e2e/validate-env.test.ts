import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baton, hubFolder, shopConnectorModule } from '../helpers/cli';

/**
 * One config promoted from staging to production: `baton validate` with an
 * environment (`--env`, `--env-file`) catches a variable that production
 * lacks and staging had, before the deploy.
 */
describe('baton validate against an environment', () => {
  let hub: Awaited<ReturnType<typeof hubFolder>>;

  beforeAll(async () => {
    hub = await hubFolder({
      'baton.config.json': {
        connectors: { shop: { use: './shop.mjs', config: { apiKey: { $env: 'SHOP_API_KEY' } } } },
        sources: {
          shop: { verify: { scheme: 'standard-webhooks', secret: { $env: 'SHOP_WEBHOOK_SECRET' } } },
        },
      },
      'shop.mjs': shopConnectorModule,
      'flows/order.json': {
        id: 'order',
        trigger: { source: 'shop', event: 'order.created' },
        steps: [{ id: 'reserve', action: 'shop.reserve', input: { sku: 'A-1', qty: 1 } }],
      },
      '.env.staging':
        'SHOP_API_KEY=sk_staging_1234\nSHOP_WEBHOOK_SECRET=whsec_c3RhZ2luZy1zZWNyZXQtMTIzNDU2\n',
      '.env.production': '# the webhook secret was forgotten\nSHOP_API_KEY=sk_live_5678\n',
    });
  });
  afterAll(() => hub?.remove());

  it('without an environment, checks the files only', async () => {
    const result = await baton(['validate'], hub.path, {});
    expect(result.code).toBe(0);
  });

  it('passes with the environment that has every variable', async () => {
    const result = await baton(['validate', '--env-file', '.env.staging'], hub.path, {});
    expect(result.stdout).not.toContain('CONFIG_ENV_MISSING');
    expect(result.code).toBe(0);
  });

  it('names the variable production lacks, where the config uses it, and fails', async () => {
    const result = await baton(['validate', '--env-file', '.env.production'], hub.path, {});
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /baton\.config\.json:\d+:\d+ \/sources\/shop\/verify\/secret\/\$env: environment variable SHOP_WEBHOOK_SECRET is not set \[CONFIG_ENV_MISSING\]/,
    );
    expect(result.stdout).not.toContain('SHOP_API_KEY is not set');
    // No value is ever printed.
    expect(result.stdout).not.toContain('sk_live_5678');
  });

  it('--env checks the process environment, and an env file adds to it', async () => {
    const bare = await baton(['validate', '--env'], hub.path, { SHOP_API_KEY: 'sk_x_1234' });
    expect(bare.code).toBe(1);
    const both = await baton(['validate', '--env', '--env-file', '.env.production'], hub.path, {
      SHOP_WEBHOOK_SECRET: 'whsec_ZnJvbS10aGUtcHJvY2Vzcy0xMjM0NTY=',
    });
    expect(both.code).toBe(0);
  });

  it('an env file that cannot be read is a clear error', async () => {
    const result = await baton(['validate', '--env-file', '.env.nowhere'], hub.path, {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ENV_FILE_UNREADABLE');
  });
});
