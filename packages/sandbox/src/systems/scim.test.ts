import { describe, expect, it } from 'vitest';
import { createSandboxApp } from '../app';
import { scimSystem } from './scim';
import { SCIM } from './scim/schemas';
import { SEEDED_GROUP_IDS } from './scim/seed';

const headers = { authorization: 'Bearer scim-sandbox-token', 'content-type': 'application/scim+json' };
// biome-ignore lint/suspicious/noExplicitAny: assertions read the JSON answers freely
type Json = Record<string, any>;

function sandbox() {
  const { app, state } = createSandboxApp({ systems: [scimSystem] });
  const call = async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
    const res = await app.request(`/scim/v2${path}`, {
      method,
      headers: { ...headers, ...extra },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as Json };
  };
  return { app, state, call };
}

const newUser = (userName: string) => ({
  schemas: [SCIM.user],
  userName,
  name: { givenName: 'Priya', familyName: 'Raman' },
  displayName: 'Priya Raman',
  emails: [{ value: userName, type: 'work', primary: true }],
  active: true,
});

describe('scim sandbox: users', () => {
  it('creates a user with meta, a Location and a ledger effect', async () => {
    const { call, state } = sandbox();
    const created = await call('POST', '/Users', newUser('priya.raman@acme.example'));
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toContain('application/scim+json');
    expect(created.body).toMatchObject({
      schemas: [SCIM.user],
      userName: 'priya.raman@acme.example',
      active: true,
      groups: [],
      meta: { resourceType: 'User', version: 'W/"1"' },
    });
    expect(created.headers.get('location')).toBe(`http://localhost/scim/v2/Users/${created.body.id}`);
    expect(created.body.meta.location).toBe(created.headers.get('location'));
    expect(state.effects).toEqual([
      expect.objectContaining({ system: 'scim', kind: 'user.created', ref: created.body.id }),
    ]);
  });

  it('answers 409 uniqueness in the RFC error shape on a duplicate userName, whatever its case', async () => {
    const { call } = sandbox();
    const duplicate = await call('POST', '/Users', newUser('Maya.Patel@acme.example'));
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '409',
      scimType: 'uniqueness',
      detail: 'userName "Maya.Patel@acme.example" is already taken by another user',
    });
  });

  it('refuses bad bodies and missing tokens with RFC errors', async () => {
    const { call } = sandbox();
    expect((await call('POST', '/Users', { userName: 'x' })).body).toMatchObject({
      status: '400',
      scimType: 'invalidSyntax',
    });
    expect((await call('POST', '/Users', { schemas: [SCIM.user] })).body).toMatchObject({
      scimType: 'invalidValue',
    });
    const anonymous = await call('GET', '/Users', undefined, { authorization: '' });
    expect(anonymous.status).toBe(401);
    expect((await call('GET', '/Users/nope')).body).toMatchObject({
      status: '404',
      detail: 'User nope not found',
    });
  });

  it('finds users by filter and pages ListResponses', async () => {
    const { call } = sandbox();
    const found = await call(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "LENA.fischer@acme.example"')}`,
    );
    expect(found.body).toMatchObject({
      schemas: [SCIM.listResponse],
      totalResults: 1,
      startIndex: 1,
      itemsPerPage: 1,
      Resources: [{ userName: 'lena.fischer@acme.example', groups: expect.any(Array) }],
    });
    const none = await call(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "nobody@acme.example"')}`,
    );
    expect(none.body).toMatchObject({ totalResults: 0, itemsPerPage: 0, Resources: [] });
    const page = await call('GET', '/Users?startIndex=2&count=2&attributes=userName');
    expect(page.body.totalResults).toBe(5);
    expect(page.body.Resources).toEqual([
      { schemas: expect.any(Array), id: expect.any(String), userName: 'jonas.berg@acme.example' },
      { schemas: expect.any(Array), id: expect.any(String), userName: 'lena.fischer@acme.example' },
    ]);
    const combined = await call(
      'GET',
      `/Users?filter=${encodeURIComponent('active eq false or emails.value sw "carlos" and title co "sales"')}`,
    );
    expect(combined.body.Resources.map((u: Json) => u.userName).sort()).toEqual([
      'carlos.mendes@acme.example',
      'tom.becker@acme.example',
    ]);
    const bad = await call('GET', `/Users?filter=${encodeURIComponent('(userName eq "x")')}`);
    expect(bad.body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
  });

  it('deactivates with Okta and Entra PATCH dialects and records it once', async () => {
    const { call, state } = sandbox();
    const okta = await call('POST', '/Users', newUser('a@acme.example'));
    const patched = await call('PATCH', `/Users/${okta.body.id}`, {
      schemas: [SCIM.patchOp],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ active: false, meta: { version: 'W/"2"' } });

    const entra = await call('POST', '/Users', newUser('b@acme.example'));
    const entraPatch = await call('PATCH', `/Users/${entra.body.id}`, {
      schemas: [SCIM.patchOp],
      Operations: [
        { op: 'Replace', path: 'active', value: 'False' },
        { op: 'Add', path: 'emails[type eq "work"].value', value: 'b.new@acme.example' },
        { op: 'Add', path: `${SCIM.enterpriseUser}:department`, value: 'Engineering' },
        { op: 'Replace', path: 'name.familyName', value: 'Raman-Iyer' },
      ],
    });
    expect(entraPatch.body).toMatchObject({
      active: false,
      emails: [{ value: 'b.new@acme.example', type: 'work' }],
      name: { familyName: 'Raman-Iyer' },
      [SCIM.enterpriseUser]: { department: 'Engineering' },
    });
    expect(state.effects.filter((e) => e.kind === 'user.deactivated').map((e) => e.ref)).toEqual([
      okta.body.id,
      entra.body.id,
    ]);
    const again = await call('PATCH', `/Users/${okta.body.id}`, {
      schemas: [SCIM.patchOp],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    expect(again.status).toBe(200);
    expect(state.effects.filter((e) => e.kind === 'user.deactivated')).toHaveLength(2);
    const bad = await call('PATCH', `/Users/${okta.body.id}`, { Operations: [{ op: 'replace', value: {} }] });
    expect(bad.body).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
  });
});

describe('scim sandbox: groups', () => {
  it('lists the seeded groups and finds one by displayName, ignoring case', async () => {
    const { call } = sandbox();
    const all = await call('GET', '/Groups?excludedAttributes=members');
    expect(all.body.Resources.map((g: Json) => g.displayName)).toEqual(['engineering', 'sales', 'all-staff']);
    expect(all.body.Resources[0].members).toBeUndefined();
    const one = await call('GET', `/Groups?filter=${encodeURIComponent('displayName eq "Engineering"')}`);
    expect(one.body.Resources).toEqual([expect.objectContaining({ id: SEEDED_GROUP_IDS.engineering })]);
  });

  it('adds members idempotently, shows them on the user, and removes them by filter', async () => {
    const { call, state } = sandbox();
    const user = await call('POST', '/Users', newUser('priya.raman@acme.example'));
    const add = {
      schemas: [SCIM.patchOp],
      Operations: [{ op: 'add', path: 'members', value: [{ value: user.body.id }] }],
    };
    const group = SEEDED_GROUP_IDS.engineering;
    expect((await call('PATCH', `/Groups/${group}`, add)).status).toBe(204);
    expect((await call('PATCH', `/Groups/${group}`, add)).status).toBe(204);
    const added = state.effects.filter((e) => e.kind === 'group.member_added');
    expect(added).toEqual([
      expect.objectContaining({ ref: group, data: { displayName: 'engineering', user: user.body.id } }),
    ]);
    const read = await call('GET', `/Users/${user.body.id}`);
    expect(read.body.groups).toEqual([expect.objectContaining({ value: group, display: 'engineering' })]);
    const members = (await call('GET', `/Groups/${group}`)).body.members.map((m: Json) => m.value);
    expect(members.filter((m: string) => m === user.body.id)).toHaveLength(1);

    await call('PATCH', `/Groups/${group}`, {
      schemas: [SCIM.patchOp],
      Operations: [{ op: 'remove', path: `members[value eq "${user.body.id}"]` }],
    });
    expect((await call('GET', `/Users/${user.body.id}`)).body.groups).toEqual([]);
  });

  it('refuses unknown members and unknown groups', async () => {
    const { call } = sandbox();
    const unknownMember = await call('PATCH', `/Groups/${SEEDED_GROUP_IDS.sales}`, {
      schemas: [SCIM.patchOp],
      Operations: [{ op: 'add', path: 'members', value: [{ value: 'ghost' }] }],
    });
    expect(unknownMember.body).toMatchObject({
      status: '400',
      scimType: 'invalidValue',
      detail: 'No user with id ghost',
    });
    const unknownGroup = await call('PATCH', '/Groups/nope', {
      schemas: [SCIM.patchOp],
      Operations: [{ op: 'add', path: 'members', value: [] }],
    });
    expect(unknownGroup.status).toBe(404);
  });

  it('restores the seed on reset', async () => {
    const { call, state } = sandbox();
    await call('POST', '/Users', newUser('priya.raman@acme.example'));
    state.reset();
    const users = await call(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "priya.raman@acme.example"')}`,
    );
    expect(users.body.totalResults).toBe(0);
  });
});
