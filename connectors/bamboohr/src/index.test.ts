import { type RunningSandbox, startSandbox } from '@baton/sandbox';
import { checkConformance, createTestServer, runAction } from '@baton/sdk/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiBase, config } from './config';
import connector from './index';

let sandbox: RunningSandbox;
const apiKey = 'bamboo-test-key-123';
const cfg = () => ({
  companyDomain: 'acme',
  apiKey,
  baseUrl: `${sandbox.url}/bamboohr/api/gateway.php/acme/v1`,
});

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.state.reset());

describe('bamboohr connector against the sandbox', () => {
  it('gets an employee with the default fields, sending the key as Basic user', async () => {
    const { output } = await runAction(connector, 'get-employee', {
      config: cfg(),
      input: { employeeId: 103 },
    });
    expect(output).toEqual({
      id: '103',
      firstName: 'Lena',
      lastName: 'Fischer',
      displayName: 'Lena Fischer',
      workEmail: 'lena.fischer@acme.example',
      jobTitle: 'Software Engineer',
      department: 'Engineering',
      location: 'Berlin',
      hireDate: '2022-04-19',
      status: 'Active',
      supervisorEmail: 'maya.patel@acme.example',
    });
  });

  it('maps a missing employee and an unknown field to non-retryable errors with the BambooHR reason', async () => {
    await expect(
      runAction(connector, 'get-employee', { config: cfg(), input: { employeeId: '999' } }),
    ).rejects.toMatchObject({
      code: 'BAMBOOHR_NOT_FOUND',
      retryable: false,
      message: 'BambooHR found nothing to read employee 999: Employee 999 not found',
    });
    await expect(
      runAction(connector, 'get-employee', {
        config: cfg(),
        input: { employeeId: '101', fields: ['shoeSize'] },
      }),
    ).rejects.toMatchObject({
      code: 'BAMBOOHR_BAD_REQUEST',
      message: expect.stringContaining('Unknown field(s): shoeSize'),
    });
  });

  it('updates an employee and the change reads back', async () => {
    const { output } = await runAction(connector, 'update-employee', {
      config: cfg(),
      input: { employeeId: '105', fields: { jobTitle: 'Senior SRE', mobilePhone: null } },
    });
    expect(output).toEqual({ id: '105', updated: ['jobTitle', 'mobilePhone'] });
    const read = await runAction(connector, 'get-employee', {
      config: cfg(),
      input: { employeeId: '105', fields: ['jobTitle', 'mobilePhone'] },
    });
    expect(read.output).toEqual({ id: '105', jobTitle: 'Senior SRE', mobilePhone: null });
    const effects = sandbox.state.effects.filter((e) => e.system === 'bamboohr');
    expect(effects).toEqual([expect.objectContaining({ kind: 'employee.updated', ref: '105' })]);
  });

  it('follows cursor pages up to the limit and hands back the cursor to go on', async () => {
    const first = await runAction(connector, 'list-employees', {
      config: cfg(),
      input: { pageSize: 2, limit: 4, fields: ['workEmail'] },
    });
    const output = first.output as {
      employees: Array<Record<string, unknown>>;
      total: number;
      nextCursor: string;
    };
    expect(output.employees.map((e) => e.employeeId)).toEqual(['101', '102', '103', '104']);
    expect(output.employees[0]).toMatchObject({
      workEmail: 'maya.patel@acme.example',
      jobTitleName: 'VP of Engineering',
    });
    expect(output.total).toBe(6);
    expect(output.nextCursor).toEqual(expect.any(String));
    const pages = sandbox.state.requests.filter(
      (r) => r.system === 'bamboohr' && r.path.endsWith('/employees'),
    );
    expect(pages).toHaveLength(2);

    const rest = await runAction(connector, 'list-employees', {
      config: cfg(),
      input: { pageSize: 2, cursor: output.nextCursor },
    });
    const restOutput = rest.output as typeof output;
    expect(restOutput.employees.map((e) => e.employeeId)).toEqual(['105', '106']);
    expect(restOutput.nextCursor).toBeNull();
  });

  it('passes filters and sort through', async () => {
    const { output } = await runAction(connector, 'list-employees', {
      config: cfg(),
      input: { filter: { departmentName: 'Sales', status: 'Active' }, sort: '-lastName' },
    });
    expect((output as { employees: Array<{ lastName: string }> }).employees.map((e) => e.lastName)).toEqual([
      'Mendes',
      'Berg',
    ]);
  });

  it('makes a throttled call retryable after the Retry-After the server sends', async () => {
    await fetch(`${sandbox.url}/_sandbox/faults/bamboohr`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rateLimit: { retryAfter: 7, count: 1 } }),
    });
    await expect(
      runAction(connector, 'get-employee', { config: cfg(), input: { employeeId: '101' } }),
    ).rejects.toMatchObject({ retryable: true, retryAfterMs: 7000 });
    // The fault answered once; the next attempt goes through.
    const { output } = await runAction(connector, 'get-employee', {
      config: cfg(),
      input: { employeeId: '101' },
    });
    expect(output).toMatchObject({ id: '101' });
  });

  it('derives the vendor base URL from the company domain', () => {
    expect(apiBase(config.parse({ companyDomain: 'acme', apiKey: 'k' }))).toBe(
      'https://api.bamboohr.com/api/gateway.php/acme/v1',
    );
  });

  it('sends the API key as the Basic user name and asks for JSON', async () => {
    await using server = await createTestServer((request) => ({
      status: 200,
      json: { id: '7', firstName: request.headers.authorization ?? '' },
    }));
    const { output } = await runAction(connector, 'get-employee', {
      config: { companyDomain: 'acme', apiKey: 'k-123456', baseUrl: `${server.url}/api/gateway.php/acme/v1` },
      input: { employeeId: 7, fields: ['firstName'] },
    });
    expect(server.requests[0]?.path).toBe('/api/gateway.php/acme/v1/employees/7');
    expect(server.requests[0]?.query).toEqual({ fields: 'firstName' });
    expect(server.requests[0]?.headers.accept).toContain('application/json');
    expect((output as { firstName: string }).firstName).toBe(
      `Basic ${Buffer.from('k-123456:x').toString('base64')}`,
    );
  });

  it('refuses bad input before calling BambooHR', async () => {
    await expect(
      runAction(connector, 'update-employee', { config: cfg(), input: { employeeId: 'abc', fields: {} } }),
    ).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });

  it('passes the Baton conformance suite', async () => {
    const report = await checkConformance(connector, {
      config: (baseUrl, secret) => ({ companyDomain: 'acme', apiKey: secret, baseUrl }),
    });
    expect(report.problems).toEqual([]);
  });
});
