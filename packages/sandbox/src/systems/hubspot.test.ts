import { describe, expect, it } from 'vitest';
import { createSandboxApp } from '../app';
import { createHubspotSystem, hubspotSystem } from './hubspot';

// biome-ignore lint/suspicious/noExplicitAny: assertions read the JSON answers freely
type Json = Record<string, any>;
const token = { authorization: 'Bearer pat-sandbox-1', 'content-type': 'application/json' };

function sandbox(system = hubspotSystem) {
  const { app, state } = createSandboxApp({ systems: [system] });
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = token,
  ) => {
    const res = await app.request(`/hubspot${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
  };
  return { state, call };
}

const byEmail = (email: string) => ({
  filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: email }] }],
  properties: ['email', 'firstname', 'lifecyclestage'],
  limit: 1,
});

describe('hubspot sandbox', () => {
  it('searches contacts by email, ignoring case', async () => {
    const { call } = sandbox();
    const found = await call('POST', '/crm/v3/objects/contacts/search', byEmail('Jane.Doe@example.com'));
    expect(found.status).toBe(200);
    expect(found.body).toEqual({
      total: 1,
      results: [
        {
          id: '51',
          properties: {
            email: 'jane.doe@example.com',
            firstname: 'Jane',
            lifecyclestage: 'customer',
            hs_object_id: '51',
          },
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
          archived: false,
        },
      ],
    });
    const none = await call('POST', '/crm/v3/objects/contacts/search', byEmail('nobody@example.com'));
    expect(none.body).toEqual({ total: 0, results: [] });
  });

  it('pages search results with paging.next.after', async () => {
    const { call } = sandbox();
    const first = await call('POST', '/crm/v3/objects/contacts/search', { limit: 1 });
    expect(first.body).toMatchObject({ total: 2, paging: { next: { after: '1' } } });
    const second = await call('POST', '/crm/v3/objects/contacts/search', { limit: 1, after: '1' });
    expect(second.body.results[0].properties.email).toBe('sam.lee@example.com');
    expect(second.body.paging).toBeUndefined();
  });

  it('upserts contacts by email: creates new ones, updates existing ones', async () => {
    const { call, state } = sandbox();
    const res = await call('POST', '/crm/v3/objects/contacts/batch/upsert', {
      inputs: [
        { idProperty: 'email', id: 'jane.doe@example.com', properties: { phone: '+1 555 0100' } },
        { idProperty: 'email', id: 'new.buyer@example.com', properties: { firstname: 'Nia' } },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('COMPLETE');
    expect(res.body.results.map((r: Json) => [r.id, r.new])).toEqual([
      ['51', false],
      ['53', true],
    ]);
    expect(res.body.results[1].properties).toMatchObject({
      email: 'new.buyer@example.com',
      firstname: 'Nia',
    });
    expect(state.effects.map((e) => `${e.kind}:${e.ref}`)).toEqual([
      'contact.updated:51',
      'contact.created:53',
    ]);
  });

  it('creates deals associated to contacts and shows the association', async () => {
    const { call, state } = sandbox();
    const created = await call('POST', '/crm/v3/objects/deals', {
      properties: { dealname: 'Order 1001', amount: 129.5, dealstage: 'closedwon' },
      associations: [
        { to: { id: '51' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }] },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body.properties).toMatchObject({
      dealname: 'Order 1001',
      amount: '129.5',
      dealstage: 'closedwon',
    });
    const read = await call(
      'GET',
      `/crm/v3/objects/deals/${created.body.id}?associations=contacts&properties=pipeline`,
    );
    expect(read.body).toMatchObject({
      properties: { pipeline: 'default' },
      associations: { contacts: { results: [{ id: '51', type: 'deal_to_contact' }] } },
    });
    expect(state.effects.at(-1)).toMatchObject({ kind: 'deal.created', ref: created.body.id });
  });

  it('answers in HubSpot error shape: validation, conflict, not found, auth', async () => {
    const { call } = sandbox();
    const unknownProperty = await call('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'a@b.co', shoe: '9' },
    });
    expect(unknownProperty.status).toBe(400);
    expect(unknownProperty.body).toMatchObject({
      status: 'error',
      category: 'VALIDATION_ERROR',
      correlationId: expect.any(String),
      errors: [{ code: 'PROPERTY_DOESNT_EXIST', context: { propertyName: ['shoe'] } }],
    });
    const conflict = await call('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'JANE.DOE@example.com' },
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({
      category: 'CONFLICT',
      message: 'Contact already exists. Existing ID: 51',
    });
    const badStage = await call('POST', '/crm/v3/objects/deals', {
      properties: { dealname: 'x', dealstage: 'won' },
    });
    expect(badStage.body.errors[0]).toMatchObject({
      code: 'INVALID_OPTION',
      context: { propertyName: ['dealstage'] },
    });
    const badAssociation = await call('POST', '/crm/v3/objects/deals', {
      properties: { dealname: 'x' },
      associations: [
        { to: { id: '999' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }] },
      ],
    });
    expect(badAssociation.status).toBe(404);
    expect((await call('GET', '/crm/v3/objects/contacts/999')).body.category).toBe('OBJECT_NOT_FOUND');
    const anonymous = await call('GET', '/crm/v3/objects/contacts/51', undefined, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.category).toBe('INVALID_AUTHENTICATION');
  });

  it('refuses a second deal with the same unique idempotency property', async () => {
    const { call } = sandbox();
    const deal = { properties: { dealname: 'Order 7', baton_idempotency_key: 'run-1:deal' } };
    const first = await call('POST', '/crm/v3/objects/deals', deal);
    const second = await call('POST', '/crm/v3/objects/deals', deal);
    expect(second.status).toBe(409);
    expect(second.body.message).toContain(`Existing ID: ${first.body.id}`);
  });

  it('patches by idProperty', async () => {
    const { call } = sandbox();
    const res = await call('PATCH', '/crm/v3/objects/contacts/sam.lee@example.com?idProperty=email', {
      properties: { lifecyclestage: 'customer' },
    });
    expect(res.body).toMatchObject({ id: '52', properties: { lifecyclestage: 'customer' } });
  });

  it('enforces TEN_SECONDLY_ROLLING per token with Retry-After and rate limit headers', async () => {
    const { call } = sandbox(createHubspotSystem({ tenSecondlyLimit: 2 }));
    const first = await call('GET', '/crm/v3/objects/contacts/51');
    expect(first.headers.get('x-hubspot-ratelimit-max')).toBe('2');
    expect(first.headers.get('x-hubspot-ratelimit-remaining')).toBe('1');
    await call('GET', '/crm/v3/objects/contacts/51');
    const limited = await call('GET', '/crm/v3/objects/contacts/51');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.body).toMatchObject({
      status: 'error',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
    });
    const otherToken = await call('GET', '/crm/v3/objects/contacts/51', undefined, {
      authorization: 'Bearer pat-sandbox-2',
    });
    expect(otherToken.status).toBe(200);
  });
});
