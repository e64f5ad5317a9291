import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baton, hubFolder, shopConnectorModule } from '../helpers/cli';
import { deleteKeys, redisUrl, uniquePrefix } from '../helpers/redis';
import { killChildren, spawnBaton } from '../helpers/spawn-baton';

const secret = `whsec_${Buffer.from('serve-test-signing-key-123456').toString('base64')}`;

describe('baton serve and baton send', () => {
  let hub: Awaited<ReturnType<typeof hubFolder>>;
  // The embedded backend unless a test asks for Redis (CI exports REDIS_URL).
  const { REDIS_URL: _redis, ...parentEnv } = process.env;
  const env = { ...parentEnv, SHOP_KEY: 'sk_canary_serve_55aa', SHOP_WHSEC: secret, BATON_API_TOKEN: '' };

  beforeAll(async () => {
    hub = await hubFolder({
      'baton.config.json': {
        connectors: { shop: { use: './connectors/shop.mjs', config: { apiKey: { $env: 'SHOP_KEY' } } } },
        sources: { shop: { verify: { scheme: 'standard-webhooks', secret: { $env: 'SHOP_WHSEC' } } } },
      },
      'connectors/shop.mjs': shopConnectorModule,
      'flows/order.json': {
        id: 'order',
        trigger: { source: 'shop', event: 'order.created', if: '{{ event.data.data.total > 0 }}' },
        steps: [
          {
            id: 'stock',
            action: 'shop.reserve',
            input: { sku: '{{ event.data.data.sku }}', qty: '{{ event.data.data.qty }}' },
          },
          {
            id: 'charge',
            action: 'shop.charge',
            retry: { maxAttempts: 3, initialInterval: '10ms' },
            input: { amount: '{{ event.data.data.total }}' },
          },
        ],
      },
      'order.json': { sku: 'A-1', qty: 1, total: 25 },
    });
  });
  afterAll(async () => {
    killChildren();
    await hub?.remove();
  });

  it('serves webhooks, runs flows, answers the API, and drains on SIGTERM', async () => {
    const serve = spawnBaton(['serve', '--port', '0'], { cwd: hub.path, env });
    const [, url] = await serve.waitFor(/Baton listening on (http:\/\/\S+)/);
    await serve.waitFor(/admin API/);
    const { stdout } = serve.output();
    expect(stdout).toContain(`source shop: standard-webhooks -> POST ${url}/webhooks/shop`);
    expect(stdout).toContain('flow order: shop order.created');

    const sent = await baton(
      ['send', 'shop', '--type', 'order.created', '--data', 'order.json', '--url', url!],
      hub.path,
      env,
    );
    expect(sent.code).toBe(0);
    expect(sent.stderr).toBe('');
    expect(sent.stdout).toMatch(/^202 Accepted from http:\/\/.*\/webhooks\/shop\n/);
    const answer = JSON.parse(sent.stdout.slice(sent.stdout.indexOf('\n') + 1));
    expect(answer.runs).toEqual([{ flow: 'order', runId: expect.stringMatching(/^run_/) }]);

    let run: { status: string; steps: Array<{ attempts: unknown[] }> } | undefined;
    for (let i = 0; i < 100; i++) {
      run = (await (await fetch(`${url}/api/runs/${answer.runs[0].runId}`)).json()) as typeof run;
      if (run?.status === 'succeeded' || run?.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(run?.status).toBe('succeeded');
    expect(run?.steps[1]?.attempts).toHaveLength(2);
    expect(JSON.stringify(run)).not.toContain('sk_canary_serve_55aa');

    // An event no flow subscribes to: still 202 and exit 0, but said on stderr.
    const unheard = await baton(
      ['send', 'shop', '--type', 'order.shipped', '--data', 'order.json', '--url', url!],
      hub.path,
      env,
    );
    expect(unheard.code).toBe(0);
    expect(JSON.parse(unheard.stdout.slice(unheard.stdout.indexOf('\n') + 1)).runs).toEqual([]);
    expect(unheard.stderr).toMatch(
      /^warning: the gateway recorded the event but started no run: no flow subscribes to "order\.shipped" from source "shop"/,
    );

    expect(serve.output().stderr).toContain(
      'warning: the embedded backend keeps runs and queued work in memory',
    );
    const unsigned = await fetch(`${url}/webhooks/shop`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned.status).toBe(401);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    serve.proc.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
    expect(serve.output().stdout).toMatch(/SIGTERM: draining/);
    expect(serve.output().stdout + serve.output().stderr).not.toContain('sk_canary_serve_55aa');
  });

  it('runs on Redis when REDIS_URL is set, under the key prefix it is given', async () => {
    const prefix = uniquePrefix();
    try {
      const serve = spawnBaton(['serve', '--port', '0'], {
        cwd: hub.path,
        env: { ...env, REDIS_URL: redisUrl, BATON_REDIS_PREFIX: prefix },
      });
      const [, url] = await serve.waitFor(/Baton listening on (http:\/\/\S+)/);
      await serve.waitFor(/admin API/);
      expect(serve.output().stdout).toContain('backend: redis');
      const sent = await baton(
        ['send', 'shop', '--type', 'order.created', '--data', 'order.json', '--url', url!],
        hub.path,
        env,
      );
      expect(sent.code).toBe(0);
      const runId = JSON.parse(sent.stdout.slice(sent.stdout.indexOf('\n') + 1)).runs[0].runId as string;
      let status = '';
      for (let i = 0; i < 200 && status !== 'succeeded' && status !== 'failed'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        status = ((await (await fetch(`${url}/api/runs/${runId}`)).json()) as { status: string }).status;
      }
      expect(status).toBe('succeeded');
      serve.proc.kill('SIGTERM');
      expect(await serve.exited).toBe(0);
      expect(serve.output().stderr).not.toContain('warning: the embedded backend');
    } finally {
      await deleteKeys(prefix);
    }
  });

  it('refuses a non-loopback address without BATON_API_TOKEN', async () => {
    const serve = spawnBaton(['serve', '--port', '0', '--host', '0.0.0.0'], { cwd: hub.path, env });
    expect(await serve.exited).toBe(1);
    expect(serve.output().stderr).toMatch(
      /^error SERVE_TOKEN_REQUIRED: refusing to listen on 0\.0\.0\.0 without BATON_API_TOKEN/,
    );
  });

  it('requires the bearer token on the admin API when BATON_API_TOKEN is set', async () => {
    const serve = spawnBaton(['serve', '--port', '0'], {
      cwd: hub.path,
      env: { ...env, BATON_API_TOKEN: 'tok-123456789' },
    });
    const [, url] = await serve.waitFor(/Baton listening on (http:\/\/\S+)/);
    expect((await fetch(`${url}/api/flows`)).status).toBe(401);
    expect(
      (await fetch(`${url}/api/flows`, { headers: { authorization: 'Bearer tok-123456789' } })).status,
    ).toBe(200);
    serve.proc.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
  });

  it('baton send names what is wrong', async () => {
    expect((await baton(['send', 'nope', '--type', 't'], hub.path, env)).stderr).toBe(
      'error SOURCE_NOT_FOUND: no source "nope" in baton.config.json (sources: shop)\n',
    );
    const down = await baton(['send', 'shop', '--type', 't', '--url', 'http://127.0.0.1:9'], hub.path, env);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(
      /^error GATEWAY_UNREACHABLE: cannot reach http:\/\/127\.0\.0\.1:9\/webhooks\/shop/,
    );
    const noSecret = await baton(['send', 'shop', '--type', 't'], hub.path, { ...env, SHOP_WHSEC: '' });
    expect(noSecret.stderr).toMatch(/error CONFIG_ENV_MISSING: .*SHOP_WHSEC/);
  });
});
