import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureConfigPath, gatewayFixture } from '../test-support/gateway-fixture';
import { json } from '../test-support/json';

const TOKEN = 'admin-token-health-4d1e';
const auth = { authorization: `Bearer ${TOKEN}` };
const CRM_KEY = 'crm_key_canary_6b2f90';

/** A connector whose check asks the CRM "who am I"; a 401 is refused credentials. */
const CRM_CONNECTOR = `import { defineAction, defineConnector, NonRetryableError, RetryableError } from '@baton/sdk';
import { z } from 'zod';

export default defineConnector({
  name: 'crm',
  config: z.object({ baseUrl: z.string(), apiKey: z.string() }),
  http: (config) => ({ baseURL: config.baseUrl, headers: { authorization: 'Bearer ' + config.apiKey } }),
  async check({ http }) {
    const answer = await http.get('/whoami', { validateStatus: () => true });
    if (answer.status === 401) throw new NonRetryableError('the CRM refused the API key', { code: 'CREDENTIALS_INVALID' });
    if (answer.status !== 200) throw new RetryableError('the CRM answered ' + answer.status, { code: 'CRM_UNAVAILABLE' });
  },
  actions: {
    ping: defineAction({ input: z.object({}), output: z.object({}), async run() { return {}; } }),
  },
});
`;

/** The CRM: answers `/whoami` as `mode` says, counting the calls. */
function fakeCrm() {
  const crm = {
    calls: 0,
    mode: 'ok' as 'ok' | 'refuse' | 'down' | 'slow',
    server: undefined as Server | undefined,
  };
  crm.server = createServer((_request, response) => {
    crm.calls += 1;
    const status = { ok: 200, refuse: 401, down: 503, slow: 200 }[crm.mode];
    const answer = () => response.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    if (crm.mode === 'slow') setTimeout(answer, 300);
    else answer();
  });
  return crm;
}

describe('GET /api/connectors/:id/health', () => {
  const crm = fakeCrm();
  let gw: Awaited<ReturnType<typeof gatewayFixture>>;
  let folder: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => crm.server!.listen(0, '127.0.0.1', resolve));
    const port = (crm.server!.address() as AddressInfo).port;
    // Inside the package (git-ignored .tmp), so the connector resolves @baton/sdk.
    const scratch = fileURLToPath(new URL('../../.tmp/', import.meta.url));
    await mkdir(scratch, { recursive: true });
    folder = await mkdtemp(join(scratch, 'health-'));
    await cp(join(fixtureConfigPath, '..'), folder, { recursive: true });
    await writeFile(join(folder, 'connectors/crm.mjs'), CRM_CONNECTOR);
    const configPath = join(folder, 'baton.config.json');
    const config = JSON.parse(await readFile(configPath, 'utf8'));
    config.connectors.crm = {
      use: './connectors/crm.mjs',
      config: { baseUrl: `http://127.0.0.1:${port}`, apiKey: CRM_KEY },
      egress: { allow: ['loopback'] },
    };
    await writeFile(configPath, JSON.stringify(config));
    gw = await gatewayFixture({ apiToken: TOKEN, configPath });
  });

  afterAll(async () => {
    await gw?.close();
    await new Promise((resolve) => crm.server!.close(resolve));
    await rm(folder, { recursive: true, force: true });
  });

  const health = (name: string, query = '') =>
    gw.app.request(`/api/connectors/${name}/health${query}`, { headers: auth });

  it('checks the credentials once, answers the result again for a while, and checks again on refresh', async () => {
    const first = await health('crm');
    expect(first.status).toBe(200);
    const body = await json(first);
    expect(body).toMatchObject({
      instance: 'crm',
      connector: 'crm',
      status: 'ok',
      cached: false,
      credentials: { state: 'none' },
      breaker: { state: 'closed', failures: 0 },
    });
    expect(Date.parse(body.checkedAt)).toBeGreaterThan(Date.now() - 5_000);
    expect(body.durationMs).toBeGreaterThanOrEqual(0);
    expect(body.error).toBeUndefined();
    expect(crm.calls).toBe(1);

    crm.mode = 'refuse';
    expect(await json(health('crm'))).toMatchObject({
      status: 'ok',
      cached: true,
      checkedAt: body.checkedAt,
    });
    expect(crm.calls).toBe(1);

    const refused = await json(health('crm', '?refresh=1'));
    expect(refused).toMatchObject({
      status: 'needs-reconnect',
      cached: false,
      error: { code: 'CREDENTIALS_INVALID', message: 'the CRM refused the API key' },
    });
    expect(crm.calls).toBe(2);
    expect(JSON.stringify(refused)).not.toContain(CRM_KEY);

    crm.mode = 'down';
    expect(await json(health('crm', '?refresh=1'))).toMatchObject({
      status: 'failing',
      error: { code: 'CRM_UNAVAILABLE' },
    });
  });

  it('runs one check at a time however many ask', async () => {
    crm.mode = 'slow';
    const before = crm.calls;
    const answers = await Promise.all(Array.from({ length: 8 }, () => json(health('crm', '?refresh=1'))));
    expect(crm.calls - before).toBe(1);
    expect(new Set(answers.map((a) => a.checkedAt)).size).toBe(1);
    expect(answers.every((a) => a.status === 'ok')).toBe(true);
  });

  it('says unchecked for an instance with nothing to check, and 404 for an unknown one', async () => {
    expect(await json(health('shop'))).toMatchObject({
      instance: 'shop',
      status: 'unchecked',
      checkedAt: null,
      durationMs: null,
      credentials: { state: 'none' },
    });
    const missing = await health('nope');
    expect(missing.status).toBe(404);
    expect(await json(missing)).toEqual({
      error: { code: 'CONNECTOR_NOT_FOUND', message: 'no connector instance "nope"' },
    });
    expect((await gw.app.request('/api/connectors/crm/health')).status).toBe(401);
  });

  it('lists each instance with its credentials state, and documents the route', async () => {
    const { connectors } = await json(gw.app.request('/api/connectors', { headers: auth }));
    expect(connectors.map((c: { name: string; credentials: unknown }) => [c.name, c.credentials])).toEqual([
      ['shop', { state: 'none' }],
      ['crm', { state: 'none' }],
    ]);
    const doc = await json(gw.app.request('/api/openapi.json', { headers: auth }));
    expect(Object.keys(doc.paths['/connectors/{id}/health'].get.responses)).toEqual(
      expect.arrayContaining(['200', '404']),
    );
    expect(doc.components.schemas.ConnectorHealth.properties.status.enum).toEqual([
      'ok',
      'needs-reconnect',
      'failing',
      'unchecked',
    ]);
  });

  it('exports baton_connector_credentials_valid: 0 after a check refused the credentials', async () => {
    crm.mode = 'refuse';
    await health('crm', '?refresh=1');
    const metrics = await (await gw.app.request('/metrics')).text();
    expect(metrics).toContain('baton_connector_credentials_valid{instance="crm"} 0');
    expect(metrics).toContain('baton_connector_credentials_valid{instance="shop"} 1');
    crm.mode = 'ok';
    await health('crm', '?refresh=1');
    expect(await (await gw.app.request('/metrics')).text()).toContain(
      'baton_connector_credentials_valid{instance="crm"} 1',
    );
  });
});
