import { type RunningSandbox, startSandbox } from '@baton/sandbox';
import { checkConformance, createTestServer, runAction } from '@baton/sdk/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CreateUserOutput, FindUserOutput } from './index';
import connector from './index';

let sandbox: RunningSandbox;
const cfg = () => ({ baseUrl: `${sandbox.url}/scim/v2`, token: 'scim-test-token' });
const newHire = {
  userName: 'priya.raman@acme.example',
  givenName: 'Priya',
  familyName: 'Raman',
  externalId: 105,
  department: 'Engineering',
};
const ENGINEERING = '7f0c2a8e-5b1d-4c3e-9a10-0000000000e1';

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.state.reset());

const run = <T>(action: string, input: unknown) =>
  runAction<T>(connector, action, { config: cfg(), input }).then((r) => r.output);

describe('scim connector against the sandbox', () => {
  it('creates a user with the enterprise extension and finds it by userName', async () => {
    const created = await run<CreateUserOutput>('create-user', newHire);
    expect(created).toMatchObject({
      userName: 'priya.raman@acme.example',
      active: true,
      externalId: '105',
      displayName: 'Priya Raman',
      emails: [{ value: 'priya.raman@acme.example', type: 'work', primary: true }],
      created: true,
    });
    const found = await run<FindUserOutput>('find-user', { userName: 'PRIYA.RAMAN@acme.example' });
    expect(found).toEqual({ found: true, user: expect.objectContaining({ id: created.id }) });
    const missing = await run<FindUserOutput>('find-user', { userName: 'nobody@acme.example' });
    expect(missing).toEqual({ found: false, user: null });
  });

  it('maps a duplicate userName to a non-retryable SCIM_UNIQUENESS', async () => {
    await run('create-user', newHire);
    await expect(run('create-user', newHire)).rejects.toMatchObject({
      code: 'SCIM_UNIQUENESS',
      retryable: false,
      details: { status: 409, scimType: 'uniqueness' },
      message: expect.stringContaining('userName "priya.raman@acme.example" is already taken'),
    });
    expect(sandbox.state.effects.filter((e) => e.kind === 'user.created')).toHaveLength(1);
  });

  it('returns the existing user on conflict when asked, so a retried step is idempotent', async () => {
    const first = await run<CreateUserOutput>('create-user', { ...newHire, onConflict: 'return-existing' });
    const again = await run<CreateUserOutput>('create-user', { ...newHire, onConflict: 'return-existing' });
    expect(again).toMatchObject({ id: first.id, created: false });
    expect(sandbox.state.effects.filter((e) => e.kind === 'user.created')).toHaveLength(1);
  });

  it('adds a user to a group by name, idempotently', async () => {
    const user = await run<CreateUserOutput>('create-user', newHire);
    const added = await run('add-to-group', { userId: user.id, groupName: 'Engineering' });
    expect(added).toEqual({ groupId: ENGINEERING, groupName: 'engineering', userId: user.id });
    await run('add-to-group', { userId: user.id, groupId: ENGINEERING });
    const found = await run<FindUserOutput>('find-user', { userName: newHire.userName });
    expect(found.user?.groups).toEqual([{ value: ENGINEERING, display: 'engineering' }]);
    expect(sandbox.state.effects.filter((e) => e.kind === 'group.member_added')).toHaveLength(1);
  });

  it('refuses unknown groups and unknown users clearly', async () => {
    await expect(run('add-to-group', { userId: 'x', groupName: 'astronauts' })).rejects.toMatchObject({
      code: 'SCIM_GROUP_NOT_FOUND',
      retryable: false,
    });
    await expect(run('add-to-group', { userId: 'ghost', groupName: 'sales' })).rejects.toMatchObject({
      code: 'SCIM_INVALID_VALUE',
      message: expect.stringContaining('No user with id ghost'),
    });
    await expect(run('deactivate-user', { userId: 'ghost' })).rejects.toMatchObject({
      code: 'SCIM_NOT_FOUND',
    });
    await expect(run('add-to-group', { userId: 'x' })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });

  it('deactivates by userName and by id', async () => {
    const byName = await run('deactivate-user', { userName: 'lena.fischer@acme.example' });
    expect(byName).toEqual({
      id: '2c5d8a40-1f6e-4b7a-8c3d-000000000103',
      userName: 'lena.fischer@acme.example',
      active: false,
    });
    const found = await run<FindUserOutput>('find-user', { userName: 'lena.fischer@acme.example' });
    expect(found.user?.active).toBe(false);
    await expect(run('deactivate-user', { userName: 'nobody@acme.example' })).rejects.toMatchObject({
      code: 'SCIM_NOT_FOUND',
    });
    expect(sandbox.state.effects.filter((e) => e.kind === 'user.deactivated')).toHaveLength(1);
  });

  it('makes a rate-limited call retryable after Retry-After', async () => {
    await fetch(`${sandbox.url}/_sandbox/faults/scim`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rateLimit: { retryAfter: 2, count: 1 } }),
    });
    await expect(run('find-user', { userName: 'x@acme.example' })).rejects.toMatchObject({
      retryable: true,
      retryAfterMs: 2000,
    });
  });

  it('speaks SCIM on the wire: bearer token, scim+json, quoted filter, Okta-style PATCH', async () => {
    await using server = await createTestServer((request) =>
      request.method === 'GET'
        ? { json: { totalResults: 1, Resources: [{ id: 'u1', userName: 'a"b@x.io', active: 'True' }] } }
        : { status: 204 },
    );
    const config = { baseUrl: `${server.url}/scim/v2`, token: 'tok-123456' };
    await runAction(connector, 'deactivate-user', { config, input: { userName: 'a"b@x.io' } });
    const [get, patch] = server.requests;
    expect(get?.query.filter).toBe('userName eq "a\\"b@x.io"');
    expect(get?.headers.authorization).toBe('Bearer tok-123456');
    expect(patch?.headers['content-type']).toContain('application/scim+json');
    expect(JSON.parse(patch?.body ?? '')).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
  });

  it('passes the Baton conformance suite', async () => {
    const report = await checkConformance(connector, {
      config: (baseUrl, secret) => ({ baseUrl, token: secret }),
    });
    expect(report.problems).toEqual([]);
  });
});
