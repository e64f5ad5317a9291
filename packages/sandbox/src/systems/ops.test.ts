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
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

describe('ops sandbox: hardware orders', () => {
  it('picks the laptop for the department and keeps the order', async () => {
    const { app, state } = sandbox();
    const created = await call(app, 'POST', '/ops/hardware/orders', {
      employeeId: 42,
      department: 'Engineering',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'HW-1001',
      status: 'placed',
      employeeId: '42',
      model: 'MacBook Pro 16" M3 Pro, 36 GB',
    });
    expect(created.body.estimatedDelivery).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const other = await call(app, 'POST', '/ops/hardware/orders', { employeeId: '7', department: 'sales' });
    expect(other.body.model).toBe('MacBook Air 13" M3, 16 GB');
    expect((await call(app, 'GET', '/ops/hardware/orders/HW-1001')).body).toEqual(created.body);
    expect((await call(app, 'GET', '/ops/hardware/orders?employeeId=7')).body.orders).toHaveLength(1);
    expect(state.effects.map((e) => [e.kind, e.ref])).toEqual([
      ['hardware.ordered', 'HW-1001'],
      ['hardware.ordered', 'HW-1002'],
    ]);
  });

  it('refuses a model IT does not stock, and bad bodies, naming the field', async () => {
    const { app } = sandbox();
    const unknown = await call(app, 'POST', '/ops/hardware/orders', { employeeId: '1', model: 'Toaster' });
    expect(unknown).toMatchObject({ status: 422, body: { error: { code: 'unknown_model' } } });
    const bad = await call(app, 'POST', '/ops/hardware/orders', { department: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    expect(bad.body.error.message).toContain('employeeId');
    const notJson = await call(app, 'POST', '/ops/hardware/orders', '{oops');
    expect(notJson).toMatchObject({ status: 400, body: { error: { code: 'invalid_json' } } });
    const missing = await call(app, 'GET', '/ops/hardware/orders/HW-9');
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'order_not_found' } } });
  });

  it('replays the saved answer for a repeated Idempotency-Key, creating one order', async () => {
    const { app, state } = sandbox();
    const key = { 'idempotency-key': 'run-1:hardware' };
    const order = { employeeId: '42', department: 'design' };
    const first = await call(app, 'POST', '/ops/hardware/orders', order, key);
    const again = await call(app, 'POST', '/ops/hardware/orders', order, key);
    expect(again.body).toEqual(first.body);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const reused = await call(app, 'POST', '/ops/hardware/orders', { employeeId: '43' }, key);
    expect(reused).toMatchObject({ status: 422, body: { error: { code: 'idempotency_key_reused' } } });
    expect(state.effects.filter((e) => e.kind === 'hardware.ordered')).toHaveLength(1);
  });

  it('does not save answers to requests that hit an injected fault', async () => {
    const { app, state } = sandbox();
    await call(app, 'PUT', '/_sandbox/faults/ops', { statuses: [503] });
    const key = { 'idempotency-key': 'k-fault' };
    const failed = await call(app, 'POST', '/ops/hardware/orders', { employeeId: '1' }, key);
    expect(failed.status).toBe(503);
    const retried = await call(app, 'POST', '/ops/hardware/orders', { employeeId: '1' }, key);
    expect(retried.status).toBe(201);
    expect(state.effects).toHaveLength(1);
  });
});

describe('ops sandbox: training', () => {
  it('enrols once per course, so repeating the call changes nothing', async () => {
    const { app, state } = sandbox();
    const input = {
      userId: 'u-1',
      email: 'ada@example.com',
      courseIds: ['security-awareness', 'gdpr-basics'],
    };
    const first = await call(app, 'POST', '/ops/lms/enrollments', input);
    expect(first.status).toBe(201);
    expect(first.body.enrollments).toEqual([
      expect.objectContaining({ id: 'ENR-1001', courseId: 'security-awareness', status: 'enrolled' }),
      expect.objectContaining({ id: 'ENR-1002', courseId: 'gdpr-basics' }),
    ]);
    const again = await call(app, 'POST', '/ops/lms/enrollments', input);
    expect(again.status).toBe(200);
    expect(again.body.enrollments).toEqual(first.body.enrollments);
    expect(state.effects.filter((e) => e.kind === 'enrollment.created')).toHaveLength(2);
    expect((await call(app, 'GET', '/ops/lms/enrollments?userId=u-1')).body.enrollments).toHaveLength(2);
  });

  it('names unknown courses', async () => {
    const { app } = sandbox();
    const res = await call(app, 'POST', '/ops/lms/enrollments', { userId: 'u', courseIds: ['juggling'] });
    expect(res).toMatchObject({ status: 422, body: { error: { code: 'course_not_found' } } });
    expect(res.body.error.message).toContain('"juggling"');
  });
});

describe('ops sandbox: backups', () => {
  it('lists seeded nightly backups and restores the latest', async () => {
    const { app, state } = sandbox();
    const list = await call(app, 'GET', '/ops/backups');
    expect(list.body.backups).toHaveLength(3);
    const latest = await call(app, 'GET', '/ops/backups/latest');
    expect(latest.body).toEqual(list.body.backups[0]);
    expect(latest.body.id).toMatch(/^bkp-\d{8}-020000$/);
    const restore = await call(app, 'POST', '/ops/backups/restore', { backupId: latest.body.id });
    expect(restore).toMatchObject({
      status: 201,
      body: { id: 'RST-1001', backupId: latest.body.id, status: 'completed', target: 'primary-db' },
    });
    expect((await call(app, 'GET', '/ops/backups/restores/RST-1001')).body).toEqual(restore.body);
    expect(state.effects.map((e) => e.kind)).toEqual(['backup.restored']);
  });

  it('takes a new backup that becomes the latest, with unique ids', async () => {
    const { app } = sandbox();
    const one = await call(app, 'POST', '/ops/backups', {});
    const two = await call(app, 'POST', '/ops/backups', {});
    expect(one.status).toBe(201);
    expect(two.body.id).not.toBe(one.body.id);
    expect((await call(app, 'GET', '/ops/backups/latest')).body.id).toBe(two.body.id);
    expect((await call(app, 'GET', `/ops/backups/${one.body.id}`)).body).toEqual(one.body);
  });

  it('refuses to restore an unknown backup', async () => {
    const { app } = sandbox();
    const res = await call(app, 'POST', '/ops/backups/restore', { backupId: 'bkp-nope' });
    expect(res).toMatchObject({ status: 404, body: { error: { code: 'backup_not_found' } } });
  });
});

describe('ops sandbox: traffic and alerts', () => {
  it('reroutes traffic between regions', async () => {
    const { app, state } = sandbox();
    const before = await call(app, 'GET', '/ops/traffic');
    expect(before.body.regions).toContainEqual({ name: 'eu-west', weight: 100 });
    const moved = await call(app, 'POST', '/ops/traffic/reroute', { from: 'eu-west', to: 'us-east' });
    expect(moved).toMatchObject({ status: 200, body: { id: 'RR-1001', moved: 100 } });
    const after = await call(app, 'GET', '/ops/traffic');
    expect(after.body.regions).toEqual([
      { name: 'eu-west', weight: 0 },
      { name: 'us-east', weight: 100 },
      { name: 'ap-south', weight: 0 },
    ]);
    const half = await call(app, 'POST', '/ops/traffic/reroute', {
      from: 'us-east',
      to: 'ap-south',
      percent: 50,
    });
    expect(half.body.moved).toBe(50);
    expect(state.effects.map((e) => e.kind)).toEqual(['traffic.rerouted', 'traffic.rerouted']);
  });

  it('refuses unknown and identical regions', async () => {
    const { app } = sandbox();
    const unknown = await call(app, 'POST', '/ops/traffic/reroute', { from: 'eu-west', to: 'mars-1' });
    expect(unknown).toMatchObject({ status: 422, body: { error: { code: 'unknown_region' } } });
    expect(unknown.body.error.message).toContain('"mars-1"');
    const same = await call(app, 'POST', '/ops/traffic/reroute', { from: 'eu-west', to: 'eu-west' });
    expect(same).toMatchObject({ status: 422, body: { error: { code: 'same_region' } } });
  });

  it('opens public alerts on the status page until resolved', async () => {
    const { app, state } = sandbox();
    expect((await call(app, 'GET', '/ops/status')).body).toEqual({ status: 'operational', incidents: [] });
    const alert = await call(app, 'POST', '/ops/alerts', {
      title: 'Primary region down',
      severity: 'critical',
      public: true,
    });
    expect(alert).toMatchObject({ status: 201, body: { id: 'ALT-1001', status: 'open' } });
    expect((await call(app, 'GET', '/ops/status')).body.status).toBe('major_outage');
    await call(app, 'POST', '/ops/alerts/ALT-1001/resolve');
    expect((await call(app, 'GET', '/ops/status')).body.status).toBe('operational');
    expect(state.effects.map((e) => e.kind)).toEqual(['alert.created', 'alert.resolved']);
    const bad = await call(app, 'POST', '/ops/alerts', { title: 'x', severity: 'meh' });
    expect(bad.status).toBe(400);
  });

  it('forgets everything on reset', async () => {
    const { app } = sandbox();
    await call(app, 'POST', '/ops/alerts', { title: 'x' });
    await call(app, 'POST', '/ops/traffic/reroute', { from: 'eu-west', to: 'us-east' });
    await call(app, 'POST', '/ops/backups', {});
    await call(app, 'POST', '/_sandbox/reset');
    expect((await call(app, 'GET', '/ops/alerts')).body.alerts).toEqual([]);
    expect((await call(app, 'GET', '/ops/traffic')).body.regions[0]).toEqual({
      name: 'eu-west',
      weight: 100,
    });
    expect((await call(app, 'GET', '/ops/backups')).body.backups).toHaveLength(3);
    expect((await call(app, 'POST', '/ops/alerts', { title: 'y' })).body.id).toBe('ALT-1001');
  });

  it('answers unknown routes in its own error shape', async () => {
    const { app } = sandbox();
    const res = await call(app, 'GET', '/ops/payroll');
    expect(res).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(res.body.error.message).toContain('GET /ops/payroll');
  });
});
