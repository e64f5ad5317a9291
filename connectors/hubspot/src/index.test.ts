import { createHubspotSystem, type RunningSandbox, startSandbox, systems } from '@baton/sandbox';
import { checkConformance, createTestServer, runAction } from '@baton/sdk/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import connector, { type CreateDealOutput, type FindContactOutput, type UpsertContactOutput } from './index';

let sandbox: RunningSandbox;
const cfg = (extra: Record<string, unknown> = {}) => ({
  baseUrl: `${sandbox.url}/hubspot`,
  accessToken: 'pat-test-123',
  ...extra,
});

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.state.reset());

const run = <T>(
  action: string,
  input: unknown,
  options: { config?: unknown; idempotencyKey?: string } = {},
) =>
  runAction<T>(connector, action, {
    config: options.config ?? cfg(),
    input,
    ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
  }).then((r) => r.output);

describe('hubspot connector against the sandbox', () => {
  it('finds a contact by email, or says it found none', async () => {
    const found = await run<FindContactOutput>('find-contact', { email: 'Jane.Doe@example.com' });
    expect(found).toMatchObject({
      found: true,
      contact: {
        id: '51',
        properties: { email: 'jane.doe@example.com', firstname: 'Jane', lifecyclestage: 'customer' },
      },
    });
    expect(await run('find-contact', { email: 'nobody@example.com' })).toEqual({
      found: false,
      contact: null,
    });
  });

  it('upserts by email: updates an existing contact, creates a new one', async () => {
    const updated = await run<UpsertContactOutput>('upsert-contact', {
      email: 'jane.doe@example.com',
      phone: '+1 415 555 0134',
    });
    expect(updated).toMatchObject({ id: '51', created: false, properties: { phone: '+1 415 555 0134' } });
    const created = await run<UpsertContactOutput>('upsert-contact', {
      email: 'nia.okafor@example.com',
      firstname: 'Nia',
      properties: { lifecyclestage: 'customer' },
    });
    expect(created).toMatchObject({
      created: true,
      properties: { firstname: 'Nia', lifecyclestage: 'customer' },
    });
    const again = await run<UpsertContactOutput>('upsert-contact', {
      email: 'nia.okafor@example.com',
      firstname: 'Nia',
    });
    expect(again).toMatchObject({ id: created.id, created: false });
    expect(sandbox.state.effects.filter((e) => e.kind === 'contact.created')).toHaveLength(1);
  });

  it('creates a deal associated with the contact', async () => {
    const deal = await run<CreateDealOutput>('create-deal', {
      dealname: 'Order #1042',
      amount: 58,
      dealstage: 'closedwon',
      contactId: 51,
    });
    expect(deal).toMatchObject({
      created: true,
      contactId: '51',
      properties: { dealname: 'Order #1042', amount: '58', dealstage: 'closedwon', pipeline: 'default' },
    });
    const read = await fetch(`${sandbox.url}/hubspot/crm/v3/objects/deals/${deal.id}?associations=contacts`, {
      headers: { authorization: 'Bearer pat-test-123' },
    });
    expect(await read.json()).toMatchObject({ associations: { contacts: { results: [{ id: '51' }] } } });
  });

  it('makes create-deal idempotent through the configured unique property', async () => {
    const config = cfg({ dealIdempotencyProperty: 'baton_idempotency_key' });
    const input = { dealname: 'Order #7', amount: '19.99', contactId: '52' };
    const first = await run<CreateDealOutput>('create-deal', input, { config, idempotencyKey: 'run-7:deal' });
    const retry = await run<CreateDealOutput>('create-deal', input, { config, idempotencyKey: 'run-7:deal' });
    expect(retry).toMatchObject({ id: first.id, created: false });
    expect(first.properties.baton_idempotency_key).toBe('run-7:deal');
    const other = await run<CreateDealOutput>('create-deal', input, { config, idempotencyKey: 'run-8:deal' });
    expect(other.id).not.toBe(first.id);
    expect(sandbox.state.effects.filter((e) => e.kind === 'deal.created')).toHaveLength(2);
  });

  it('maps HubSpot errors by category, not retried', async () => {
    await expect(run('create-deal', { dealname: 'x', dealstage: 'won' })).rejects.toMatchObject({
      code: 'HUBSPOT_VALIDATION_ERROR',
      retryable: false,
      details: {
        status: 400,
        category: 'VALIDATION_ERROR',
        errorCode: 'INVALID_OPTION',
        correlationId: expect.any(String),
      },
    });
    await expect(run('create-deal', { dealname: 'x', contactId: '999' })).rejects.toMatchObject({
      code: 'HUBSPOT_OBJECT_NOT_FOUND',
    });
    await expect(
      run('upsert-contact', { email: 'a@b.co', properties: { shoe_size: 9 } }),
    ).rejects.toMatchObject({
      code: 'HUBSPOT_VALIDATION_ERROR',
      message: expect.stringContaining('Property "shoe_size" does not exist'),
    });
  });

  it("honours the Retry-After of HubSpot's TEN_SECONDLY_ROLLING 429", async () => {
    const strict = await startSandbox({
      port: 0,
      systems: [...systems.filter((s) => s.name !== 'hubspot'), createHubspotSystem({ tenSecondlyLimit: 1 })],
    });
    try {
      const config = { baseUrl: `${strict.url}/hubspot`, accessToken: 'pat-strict' };
      await run('find-contact', { email: 'jane.doe@example.com' }, { config });
      const error = await run('find-contact', { email: 'jane.doe@example.com' }, { config }).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'HUBSPOT_RATE_LIMITED', retryable: true });
      const wait = (error as { retryAfterMs: number }).retryAfterMs;
      expect(wait).toBeGreaterThanOrEqual(1000);
      expect(wait).toBeLessThanOrEqual(10_000);
    } finally {
      await strict.close();
    }
  });

  it('treats the DAILY policy as final and a bare 429 as the ten-second window', async () => {
    await using server = await createTestServer(() => ({
      status: 429,
      json: {
        status: 'error',
        message: 'You have reached your daily limit.',
        errorType: 'RATE_LIMIT',
        policyName: 'DAILY',
      },
    }));
    const config = { baseUrl: server.url, accessToken: 'pat-1234' };
    await expect(run('find-contact', { email: 'a@b.co' }, { config })).rejects.toMatchObject({
      code: 'HUBSPOT_DAILY_LIMIT',
      retryable: false,
    });
    server.setHandler(() => ({ status: 429, json: { status: 'error', policyName: 'TEN_SECONDLY_ROLLING' } }));
    await expect(run('find-contact', { email: 'a@b.co' }, { config })).rejects.toMatchObject({
      retryable: true,
      retryAfterMs: 10_000,
    });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer pat-1234');
  });

  it('passes the Baton conformance suite', async () => {
    const report = await checkConformance(connector, {
      config: (baseUrl, secret) => ({ baseUrl, accessToken: secret }),
    });
    expect(report.problems).toEqual([]);
  });

  it('passes the Baton conformance suite as an OAuth2 app (token endpoint at <baseUrl>/oauth/v1/token)', async () => {
    const report = await checkConformance(connector, {
      config: (baseUrl, secret) => ({
        baseUrl,
        oauth: { clientId: 'baton-test-client', clientSecret: secret, refreshToken: secret },
      }),
    });
    expect(report.problems).toEqual([]);
    expect(report.passed).toContain('find-contact: sends the OAuth2 access token as a bearer');
  });
});
