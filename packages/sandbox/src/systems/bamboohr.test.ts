import { describe, expect, it } from 'vitest';
import { createSandboxApp } from '../app';
import { bamboohrSystem } from './bamboohr';
import { RECENT_HIRE_ID } from './bamboohr/seed';

const base = '/bamboohr/api/gateway.php/acme/v1';
const auth = { authorization: `Basic ${Buffer.from('sandbox-key:x').toString('base64')}` };

function sandbox() {
  return createSandboxApp({ systems: [bamboohrSystem] });
}

describe('bamboohr sandbox', () => {
  it('refuses calls without an API key, with the reason in X-BambooHR-Error-Message', async () => {
    const { app } = sandbox();
    const res = await app.request(`${base}/employees/101`);
    expect(res.status).toBe(401);
    expect(res.headers.get('x-bamboohr-error-message')).toMatch(/API key/);
  });

  it('returns the fields asked for, computed ones included', async () => {
    const { app } = sandbox();
    const res = await app.request(
      `${base}/employees/103?fields=firstName,workEmail,supervisor,supervisorEmail`,
      {
        headers: auth,
      },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      id: '103',
      firstName: 'Lena',
      workEmail: 'lena.fischer@acme.example',
      supervisor: 'Patel, Maya',
      supervisorEmail: 'maya.patel@acme.example',
    });
  });

  it('seeds an employee hired two days ago', async () => {
    const { app } = sandbox();
    const res = await app.request(`${base}/employees/${RECENT_HIRE_ID}?fields=hireDate,status`, {
      headers: auth,
    });
    const body = (await res.json()) as { hireDate: string; status: string };
    const daysAgo = (Date.now() - Date.parse(`${body.hireDate}T00:00:00Z`)) / 86_400_000;
    expect(daysAgo).toBeGreaterThanOrEqual(1);
    expect(daysAgo).toBeLessThan(3);
    expect(body.status).toBe('Active');
  });

  it('answers 404 and 400 for unknown employees and fields', async () => {
    const { app } = sandbox();
    const missing = await app.request(`${base}/employees/999?fields=firstName`, { headers: auth });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-bamboohr-error-message')).toBe('Employee 999 not found');
    const bad = await app.request(`${base}/employees/101?fields=firstName,shoeSize`, { headers: auth });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-bamboohr-error-message')).toBe('Unknown field(s): shoeSize');
  });

  it('updates writable fields, records the effect, and refuses bad values as a whole', async () => {
    const { app, state } = sandbox();
    const post = (id: string, body: unknown) =>
      app.request(`${base}/employees/${id}`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('103', { jobTitle: 'Senior Software Engineer', mobilePhone: '' })).status).toBe(200);
    const read = await app.request(`${base}/employees/103?fields=jobTitle,mobilePhone`, { headers: auth });
    expect(await read.json()).toEqual({ id: '103', jobTitle: 'Senior Software Engineer', mobilePhone: null });
    expect(state.effects).toEqual([
      expect.objectContaining({ system: 'bamboohr', kind: 'employee.updated', ref: '103' }),
    ]);

    const refused = await post('103', { jobTitle: 'CEO', hireDate: 'last week' });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('x-bamboohr-error-message')).toMatch(/hireDate.*YYYY-MM-DD/);
    const unchanged = await app.request(`${base}/employees/103?fields=jobTitle`, { headers: auth });
    expect(await unchanged.json()).toEqual({ id: '103', jobTitle: 'Senior Software Engineer' });
    expect((await post('103', { displayName: 'x' })).headers.get('x-bamboohr-error-message')).toBe(
      "Field 'displayName' is read-only",
    );
    expect((await post('404', { firstName: 'x' })).status).toBe(404);
  });

  it('pages the employee list with opaque cursors and links', async () => {
    const { app } = sandbox();
    const first = await app.request(`${base}/employees?page[limit]=4&fields=workEmail`, { headers: auth });
    const page1 = (await first.json()) as {
      data: Array<Record<string, unknown>>;
      meta: { total: number; page: { nextCursor: string | null; prevCursor: string | null } };
      _links: { next?: { href: string } };
    };
    expect(page1.meta.total).toBe(6);
    expect(page1.data.map((e) => e.employeeId)).toEqual(['101', '102', '103', '104']);
    expect(page1.data[0]).toMatchObject({
      employeeId: '101',
      firstName: 'Maya',
      jobTitleName: 'VP of Engineering',
      status: 'Active',
      workEmail: 'maya.patel@acme.example',
      _restrictedFields: [],
    });
    expect(page1.meta.page.prevCursor).toBeNull();
    const cursor = page1.meta.page.nextCursor!;
    const second = await app.request(`${base}/employees?page[limit]=4&page[after]=${cursor}`, {
      headers: auth,
    });
    const page2 = (await second.json()) as typeof page1;
    expect(page2.data.map((e) => e.employeeId)).toEqual(['105', '106']);
    expect(page2.meta.page.nextCursor).toBeNull();
    expect(page1._links.next?.href).toContain(`page%5Bafter%5D=${cursor}`);
  });

  it('filters and sorts the list, and refuses what it cannot do', async () => {
    const { app } = sandbox();
    const get = (query: string) => app.request(`${base}/employees?${query}`, { headers: auth });
    const sales = (await (
      await get('filter[departmentName]=sales&filter[status]=Active&sort=-lastName')
    ).json()) as {
      data: Array<{ lastName: string }>;
    };
    expect(sales.data.map((e) => e.lastName)).toEqual(['Mendes', 'Berg']);
    const ids = (await (await get('filter[ids]=105,101')).json()) as { data: Array<{ employeeId: string }> };
    expect(ids.data.map((e) => e.employeeId)).toEqual(['101', '105']);
    expect((await get('page[after]=not-a-cursor')).status).toBe(400);
    expect((await get('sort=salary')).headers.get('x-bamboohr-error-message')).toBe(
      "Cannot sort by 'salary'",
    );
    expect((await get('page[limit]=0')).status).toBe(400);
  });

  it('serves the classic directory of active employees', async () => {
    const { app } = sandbox();
    const res = await app.request(`${base}/employees/directory`, { headers: auth });
    const body = (await res.json()) as {
      fields: unknown[];
      employees: Array<{ id: string; displayName: string }>;
    };
    expect(body.employees.map((e) => e.id)).toEqual(['101', '102', '103', '104', '105']);
    expect(body.employees[4]).toMatchObject({ displayName: 'Pri Raman', department: 'Engineering' });
  });

  it('forgets updates on reset', async () => {
    const { app, state } = sandbox();
    await app.request(`${base}/employees/101`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ location: 'Moon' }),
    });
    state.reset();
    const res = await app.request(`${base}/employees/101?fields=location`, { headers: auth });
    expect(await res.json()).toEqual({ id: '101', location: 'Remote - US' });
  });
});
