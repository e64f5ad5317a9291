import { createCapturingLogger, createTestServer } from '@baton/sdk/testing';
import { describe, expect, it } from 'vitest';
import { loopbackInstances, useSandbox } from '../../shared/testing';
import connector from './index';

const sandbox = useSandbox();

const instance = loopbackInstances(connector);

describe('http limits', () => {
  it('declares none: a generic connector cannot know the limits of the API it calls', () => {
    expect(connector.limits).toBeUndefined();
    expect(instance({ baseUrl: 'https://ops.example.com', bearerToken: 't-1' }).limits).toBeUndefined();
  });
});

describe('http check', () => {
  it('GETs checkPath with the credentials and passes on a 2xx', async () => {
    const ops = instance({
      baseUrl: `${sandbox.url}/ops`,
      bearerToken: 'ops-token-1234',
      checkPath: '/status',
    });
    await expect(ops.check()).resolves.toBeUndefined();
    expect(sandbox.state.requests.filter((r) => r.system === 'ops').at(-1)).toMatchObject({
      method: 'GET',
      path: '/ops/status',
      status: 200,
    });
  });

  it('fails, not retryable, when the API refuses the credentials', async () => {
    await using server = await createTestServer((request) =>
      request.headers.authorization === 'Bearer good-token'
        ? { json: { id: 'svc-baton' } }
        : { status: 401, json: { error: 'invalid token' } },
    );
    const config = { baseUrl: `${server.url}/api`, checkPath: '/me' };
    await expect(instance({ ...config, bearerToken: 'good-token' }).check()).resolves.toBeUndefined();
    const error = await instance({ ...config, bearerToken: 'revoked-token-88' })
      .check()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HTTP_401', retryable: false });
    expect(JSON.stringify([error, (error as Error).message])).not.toContain('revoked-token-88');
    expect(server.requests.map((r) => r.path)).toEqual(['/api/me', '/api/me']);
  });

  it('checks nothing without checkPath, and says so', async () => {
    const log = createCapturingLogger();
    await expect(instance({ bearerToken: 't-1' }).check({ log })).resolves.toBeUndefined();
    expect(log.records).toEqual([
      { level: 'info', message: 'no checkPath configured: the credentials were not checked' },
    ]);
  });

  it('needs checkPath to be a path under baseUrl', () => {
    expect(connector.config.safeParse({ checkPath: '/me' }).error?.issues[0]?.message).toBe(
      'checkPath needs a baseUrl to be under',
    );
    expect(
      connector.config.safeParse({ baseUrl: 'https://ops.example.com', checkPath: 'https://evil.example/me' })
        .success,
    ).toBe(false);
  });
});
