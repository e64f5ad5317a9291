import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createGatewayLogger, type RunningGateway, startGateway } from '@baton/gateway';
import { createRedisBackend, loadHub, type RunRecord } from '@baton/runtime';
import { type RunningSandbox, startSandbox } from '@baton/sandbox';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorHub, hubspotWithOAuth } from '../helpers/connector-hub';
import { deleteKeys, redisUrl, testPartitions, uniquePrefix } from '../helpers/redis';
import { killChildren } from '../helpers/spawn-baton';
import { startWorker, workerEnv } from './fault-hub';

const API_TOKEN = 'oauth-fleet-admin-token';
const SECRETS = { HUBSPOT_CLIENT_SECRET: 'sandbox-secret', HUBSPOT_REFRESH_TOKEN: 'sandbox-refresh-token' };

interface OAuthStats {
  tokenRequests: { refresh_token: number; client_credentials: number };
  refused: number;
  issued: number;
}

/**
 * OAuth2 in a fleet: two `baton worker` processes and a gateway share one
 * HubSpot instance's token through Redis (encrypted with
 * BATON_CREDENTIALS_KEY), against the sandbox's OAuth2 authority.
 */
describe('OAuth2 tokens shared by two workers', () => {
  let sandbox: RunningSandbox;
  let hub: Awaited<ReturnType<typeof connectorHub>>;
  let gateway: RunningGateway;
  const prefix = uniquePrefix('oauth');
  const credentialsKey = randomBytes(32).toString('base64');

  const control = async (path: string, body?: object) =>
    fetch(`${sandbox.url}/_sandbox/oauth${path}`, {
      method: body ? 'POST' : 'GET',
      ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
  const stats = async () => (await (await control('/stats')).json()) as OAuthStats;
  const api = async <T>(path: string) =>
    (await (
      await fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${API_TOKEN}` } })
    )[path.startsWith('/api') ? 'json' : 'text']()) as T;

  let sequence = 0;
  const fire = async () => {
    const n = ++sequence;
    const answer = await gateway.engine.dispatch({
      specversion: '1.0',
      id: `contact-${n}`,
      source: 'shop',
      type: 'customer.updated',
      time: new Date().toISOString(),
      data: { email: `customer-${n}@example.com` },
    });
    return answer.runs[0]!.runId;
  };
  const settle = (ids: string[]) =>
    Promise.all(ids.map((id) => gateway.engine.waitForRun(id, { timeoutMs: 60_000 })));
  const lookup = (run: RunRecord) => run.steps.find((s) => s.id === 'lookup')!;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    hub = await connectorHub({
      'baton.config.json': {
        flows: './flows',
        connectors: { crm: hubspotWithOAuth(sandbox.url) },
        sources: {
          shop: { verify: { scheme: 'standard-webhooks', secret: 'whsec_ZmF1bHQtdGVzdC1zZWNyZXQtMTIzNDU2' } },
        },
      },
      'flows/lookup.json': {
        id: 'lookup',
        trigger: { source: 'shop', event: 'customer.updated' },
        steps: [
          {
            id: 'lookup',
            action: 'crm.find-contact',
            input: { email: '{{ event.data.email }}' },
            retry: { maxAttempts: 4, initialInterval: '100ms' },
          },
        ],
      },
    });
    const env = { ...workerEnv(redisUrl, prefix), ...SECRETS, BATON_CREDENTIALS_KEY: credentialsKey };
    await Promise.all([startWorker(hub.path, env, 8), startWorker(hub.path, env, 8)]);
    // The gateway side: it dispatches, reads runs, and answers the health API and the metrics; it runs no steps.
    const loaded = await loadHub({
      configPath: join(hub.path, 'baton.config.json'),
      env: SECRETS,
      conditions: ['@baton/source'],
    });
    gateway = await startGateway({
      hub: loaded,
      backend: await createRedisBackend({
        url: redisUrl,
        prefix,
        credentialKeys: { current: credentialsKey },
        ...(testPartitions ? { partitions: testPartitions } : {}),
      }),
      port: 0,
      worker: false,
      apiToken: API_TOKEN,
      log: createGatewayLogger({ level: 'silent' }),
    });
  }, 90_000);

  afterAll(async () => {
    killChildren();
    await gateway?.close({ drainMs: 0 });
    await deleteKeys(prefix);
    await sandbox?.close();
    await hub?.remove();
  });

  it('a token expiring mid-load is refreshed once, and no run fails', async () => {
    // Both workers start cold: one of them fetches the first token, the other waits for it.
    const warm = await settle(await Promise.all(Array.from({ length: 6 }, fire)));
    expect(warm.every((run) => run.status === 'succeeded')).toBe(true);
    const before = await stats();
    expect(before.tokenRequests.refresh_token).toBe(1);

    // A stream of runs; the provider expires every token it issued a third of the way in.
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      ids.push(await fire());
      if (i === 20) expect((await control('/expire', {})).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const runs = await settle(ids);
    expect(runs.filter((run) => run.status !== 'succeeded').map((run) => run.error)).toEqual([]);
    // A 401 is renewed and retried inside the call: it is never an attempt of the step.
    expect(runs.every((run) => lookup(run).attempts.length === 1)).toBe(true);
    const after = await stats();
    expect(after.tokenRequests.refresh_token - before.tokenRequests.refresh_token).toBe(1);
    expect(after.refused).toBe(before.refused);

    // The shared token is in Redis, encrypted: no token text in the stored bytes.
    const raw = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    try {
      const stored = await raw.getBuffer(`${prefix}:credentials:crm`);
      expect(stored).not.toBeNull();
      expect(stored!.toString('latin1')).not.toMatch(/sbx-o[ar]t-|sandbox-refresh-token|accessToken/);
    } finally {
      raw.disconnect();
    }
    expect(await api('/api/connectors/crm/health?refresh=1')).toMatchObject({
      status: 'ok',
      credentials: { state: 'valid' },
    });
  }, 120_000);

  it('a revoked grant puts the instance in needs-reconnect: its runs fail at once with CREDENTIALS_INVALID, without a retry storm', async () => {
    const before = await stats();
    expect((await control('/revoke', {})).status).toBe(200);
    expect((await control('/expire', {})).status).toBe(200);

    const runs = await settle(await Promise.all(Array.from({ length: 30 }, fire)));
    expect(runs.every((run) => run.status === 'failed')).toBe(true);
    for (const run of runs) {
      // One attempt each, though the step may retry four times: the refusal is not retryable.
      expect(lookup(run).attempts).toHaveLength(1);
      expect(lookup(run).error).toMatchObject({ code: 'CREDENTIALS_INVALID', retryable: false });
    }
    const after = await stats();
    const refreshes = after.tokenRequests.refresh_token - before.tokenRequests.refresh_token;
    expect(refreshes).toBeGreaterThanOrEqual(1);
    expect(refreshes).toBeLessThanOrEqual(2);

    const health = await api<{ status: string; credentials: { state: string; reason?: string } }>(
      '/api/connectors/crm/health?refresh=1',
    );
    expect(health).toMatchObject({ status: 'needs-reconnect', credentials: { state: 'needs-reconnect' } });
    expect(health.credentials.reason).toMatch(/revoked|invalid_grant/);
    const listed = await api<{ connectors: Array<{ name: string; credentials: { state: string } }> }>(
      '/api/connectors',
    );
    expect(listed.connectors.find((c) => c.name === 'crm')?.credentials.state).toBe('needs-reconnect');
    expect(await api<string>('/metrics')).toContain('baton_connector_credentials_valid{instance="crm"} 0');
    // The health check asked nobody: the instance fails at once until it is reconnected.
    expect((await stats()).tokenRequests.refresh_token).toBe(after.tokenRequests.refresh_token);
  }, 120_000);
});
