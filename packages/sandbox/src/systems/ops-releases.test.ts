import { describe, expect, it } from 'vitest';
import { createSandboxApp } from '../app';
import { opsSystem } from './ops';

function sandbox() {
  return createSandboxApp({ systems: [opsSystem] });
}

type App = ReturnType<typeof sandbox>['app'];

async function call(app: App, method: string, path: string, body?: unknown, headers = {}) {
  const res = await app.request(path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

describe('ops sandbox: deployments and health', () => {
  it('deploys a version, reports health, and rolls back to the version before', async () => {
    const { app, state } = sandbox();
    const before = await call(app, 'GET', '/ops/health');
    expect(before).toMatchObject({
      status: 200,
      body: {
        status: 'healthy',
        services: [
          { name: 'storefront', version: '2.4.0', status: 'healthy' },
          { name: 'checkout-api', version: '1.9.3', status: 'healthy' },
        ],
      },
    });
    const deployed = await call(app, 'POST', '/ops/deployments', { version: '2.5.0' });
    expect(deployed).toMatchObject({
      status: 201,
      body: {
        id: 'DEP-1001',
        service: 'storefront',
        version: '2.5.0',
        previousVersion: '2.4.0',
        status: 'deployed',
      },
    });
    expect((await call(app, 'GET', '/ops/health?service=storefront')).body.services).toEqual([
      expect.objectContaining({ name: 'storefront', version: '2.5.0', status: 'healthy' }),
    ]);
    const rolledBack = await call(app, 'POST', '/ops/deployments/DEP-1001/rollback', {
      reason: 'error rate',
    });
    expect(rolledBack).toMatchObject({
      status: 200,
      body: { id: 'DEP-1001', status: 'rolled_back', reason: 'error rate', rolledBackAt: expect.any(String) },
    });
    expect((await call(app, 'GET', '/ops/health?service=storefront')).body.services[0].version).toBe('2.4.0');
    // Rolling back twice changes nothing, with or without a body.
    expect((await call(app, 'POST', '/ops/deployments/DEP-1001/rollback')).body.status).toBe('rolled_back');
    expect((await call(app, 'GET', '/ops/deployments/DEP-1001')).body.status).toBe('rolled_back');
    expect(state.effects.map((e) => [e.kind, e.ref])).toEqual([
      ['deployment.created', 'DEP-1001'],
      ['deployment.rolled_back', 'DEP-1001'],
    ]);
  });

  it('answers 503 while the live version is one the switches call unhealthy; the rollback heals it', async () => {
    const { app } = sandbox();
    const set = await call(app, 'PUT', '/_sandbox/ops/switches', { unhealthyVersions: ['2.5.0'] });
    expect(set.body).toEqual({ unhealthy: false, unhealthyVersions: ['2.5.0'], scaleFails: false });
    await call(app, 'POST', '/ops/deployments', { service: 'storefront', version: '2.5.0' });
    const sick = await call(app, 'GET', '/ops/health');
    expect(sick.status).toBe(503);
    expect(sick.body).toMatchObject({
      status: 'unhealthy',
      services: [
        {
          name: 'storefront',
          status: 'unhealthy',
          checks: [{ name: 'http-error-rate', status: 'fail', thresholdPercent: 5 }],
        },
        { name: 'checkout-api', status: 'healthy' },
      ],
    });
    expect((await call(app, 'GET', '/ops/health?service=checkout-api')).status).toBe(200);
    await call(app, 'POST', '/ops/deployments/DEP-1001/rollback');
    expect((await call(app, 'GET', '/ops/health')).status).toBe(200);

    await call(app, 'PUT', '/_sandbox/ops/switches', { unhealthy: true });
    expect((await call(app, 'GET', '/ops/health')).body.status).toBe('unhealthy');
    expect((await call(app, 'DELETE', '/_sandbox/ops/switches')).status).toBe(204);
    expect((await call(app, 'GET', '/ops/health')).status).toBe(200);
    expect((await call(app, 'PUT', '/_sandbox/ops/switches', { unhealthy: 'yes' })).status).toBe(400);
  });

  it('rolls back only the live deployment, and names unknown services and deployments', async () => {
    const { app } = sandbox();
    await call(app, 'POST', '/ops/deployments', { version: '2.5.0' });
    await call(app, 'POST', '/ops/deployments', { version: '2.6.0' });
    const stale = await call(app, 'POST', '/ops/deployments/DEP-1001/rollback');
    expect(stale).toMatchObject({ status: 409, body: { error: { code: 'deployment_superseded' } } });
    expect(stale.body.error.message).toContain('DEP-1002');
    await call(app, 'POST', '/ops/deployments/DEP-1002/rollback');
    expect((await call(app, 'POST', '/ops/deployments/DEP-1001/rollback')).status).toBe(200);
    expect((await call(app, 'GET', '/ops/health?service=storefront')).body.services[0].version).toBe('2.4.0');
    expect((await call(app, 'GET', '/ops/deployments?service=storefront')).body.deployments).toHaveLength(2);

    const unknown = await call(app, 'POST', '/ops/deployments', { service: 'mainframe', version: '1' });
    expect(unknown).toMatchObject({ status: 422, body: { error: { code: 'unknown_service' } } });
    expect((await call(app, 'POST', '/ops/deployments', {})).body.error.code).toBe('invalid_request');
    expect((await call(app, 'GET', '/ops/deployments/DEP-9')).status).toBe(404);
    expect((await call(app, 'GET', '/ops/health?service=mainframe')).status).toBe(404);
  });

  it('replays a deployment for a repeated Idempotency-Key, and forgets it all on reset', async () => {
    const { app, state } = sandbox();
    const key = { 'idempotency-key': 'run-9:deploy' };
    const first = await call(app, 'POST', '/ops/deployments', { version: '3.0.0' }, key);
    const again = await call(app, 'POST', '/ops/deployments', { version: '3.0.0' }, key);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(state.effects.filter((e) => e.kind === 'deployment.created')).toHaveLength(1);
    await call(app, 'PUT', '/_sandbox/ops/switches', { unhealthy: true });
    await call(app, 'POST', '/_sandbox/reset');
    expect((await call(app, 'GET', '/ops/health')).body.services[0]).toMatchObject({
      version: '2.4.0',
      status: 'healthy',
    });
    expect((await call(app, 'GET', '/ops/deployments')).body.deployments).toEqual([]);
  });
});

describe('ops sandbox: password reset tokens', () => {
  it('issues a token with its link and expiry, the same one again for a repeated Idempotency-Key', async () => {
    const { app, state } = sandbox();
    const key = { 'idempotency-key': 'run-3:reset' };
    const issued = await call(
      app,
      'POST',
      '/ops/users/2c5d8a40-1f6e-4b7a-8c3d-000000000103/reset-tokens',
      undefined,
      key,
    );
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({
      userId: '2c5d8a40-1f6e-4b7a-8c3d-000000000103',
      token: expect.stringMatching(/^rst_[\w-]{32}$/),
    });
    expect(issued.body.resetUrl).toBe(`https://login.acme.example/reset-password?token=${issued.body.token}`);
    const minutes = (Date.parse(issued.body.expiresAt) - Date.parse(issued.body.createdAt)) / 60_000;
    expect(minutes).toBe(60);
    const again = await call(
      app,
      'POST',
      '/ops/users/2c5d8a40-1f6e-4b7a-8c3d-000000000103/reset-tokens',
      undefined,
      key,
    );
    expect(again.body.token).toBe(issued.body.token);
    const other = await call(app, 'POST', '/ops/users/u-2/reset-tokens', {
      email: 'sam@acme.example',
      ttlMinutes: 15,
    });
    expect(other.body.token).not.toBe(issued.body.token);
    expect(other.body.email).toBe('sam@acme.example');
    expect((await call(app, 'GET', '/ops/users/u-2/reset-tokens')).body.tokens).toEqual([other.body]);
    expect(state.effects.map((e) => [e.kind, e.ref])).toEqual([
      ['password_reset.token_issued', '2c5d8a40-1f6e-4b7a-8c3d-000000000103'],
      ['password_reset.token_issued', 'u-2'],
    ]);
    expect(JSON.stringify(state.effects)).not.toContain(issued.body.token);
    const bad = await call(app, 'POST', '/ops/users/u-2/reset-tokens', { ttlMinutes: 0 });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
  });
});
