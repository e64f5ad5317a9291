import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunningGateway } from '@baton/gateway';
import type { CloudEvent, RunRecord } from '@baton/runtime';
import type { RunningSandbox } from '@baton/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ExampleGateway, startExampleGateway } from './helpers/example-gateway';
import { exampleEventData, examplesDir } from './helpers/examples';

/**
 * The example hub as the demo runs it: the sandbox signs webhooks the way
 * the real senders do and posts them to the gateway, which verifies them
 * and starts the example flows; the flows call the sandbox through the
 * example config (repointed at this sandbox's port).
 */
let sandbox: RunningSandbox;
let gateway: RunningGateway;
let env: Record<string, string>;

let example: ExampleGateway | undefined;

beforeAll(async () => {
  example = await startExampleGateway();
  ({ sandbox, gateway, env } = example);
});

afterAll(() => example?.close());

beforeEach(() => sandbox.state.reset());

const effects = (system: string, kind?: string) =>
  sandbox.state.effects.filter((e) => e.system === system && (kind === undefined || e.kind === kind));

async function fault(system: string, plan: unknown) {
  const res = await fetch(`${sandbox.url}/_sandbox/faults/${system}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(plan),
  });
  expect(res.status).toBe(200);
}

const SENDERS = {
  shop: { scheme: 'standard-webhooks', secret: 'SHOP_WEBHOOK_SECRET' },
  hr: { scheme: 'github', secret: 'HR_WEBHOOK_SECRET' },
} as const;

/** Has the sandbox sign and post a webhook to the gateway; returns the gateway's answer. */
async function webhook(source: keyof typeof SENDERS, event: string, data: Record<string, unknown>) {
  const { scheme, secret } = SENDERS[source];
  const res = await fetch(`${sandbox.url}/_sandbox/webhooks/emit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      to: `${gateway.url}/webhooks/${source}`,
      scheme,
      secret: env[secret],
      event,
      data,
    }),
  });
  const sent = (await res.json()) as {
    status: number;
    body: { runs: Array<{ flow: string; runId: string }> };
  };
  expect(sent.status).toBe(202);
  return sent.body;
}

async function runOf(source: keyof typeof SENDERS, event: string, data: Record<string, unknown>) {
  const { runs } = await webhook(source, event, data);
  expect(runs).toHaveLength(1);
  return gateway.engine.waitForRun(runs[0]!.runId, { timeoutMs: 60_000 });
}

/** Starts a flow by hand through the admin API, as the README shows. */
async function trigger(flow: string, data: unknown): Promise<RunRecord> {
  const res = await fetch(`${gateway.url}/api/flows/${flow}/trigger`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data }),
  });
  expect(res.status).toBe(202);
  const { runId } = (await res.json()) as { runId: string };
  return gateway.engine.waitForRun(runId, { timeoutMs: 60_000 });
}

function stepsOf(run: RunRecord) {
  return Object.fromEntries(run.steps.map((s) => [s.id, s.status]));
}

describe('employee-onboarding', () => {
  it('provisions the account and groups, orders a laptop, enrols training and welcomes on Slack', async () => {
    const run = await runOf('hr', 'employee.hired', await exampleEventData('employee-hired'));
    expect(run.error).toBeUndefined();
    expect(run.status).toBe('succeeded');
    expect(effects('scim', 'user.created').map((e) => e.data?.userName)).toEqual([
      'priya.raman@acme.example',
    ]);
    expect(
      effects('scim', 'group.member_added')
        .map((e) => e.data?.displayName)
        .sort(),
    ).toEqual(['all-staff', 'engineering']);
    expect(effects('ops', 'hardware.ordered')).toEqual([
      expect.objectContaining({ data: { employeeId: '105', model: 'MacBook Pro 16" M3 Pro, 36 GB' } }),
    ]);
    expect(effects('ops', 'enrollment.created').map((e) => e.data?.courseId)).toEqual([
      'security-awareness',
      'code-of-conduct',
      'engineering-onboarding',
    ]);
    const [welcome] = effects('slack', 'message.posted');
    expect(welcome?.data).toMatchObject({ channelName: 'it-onboarding' });
    expect(welcome?.data?.text).toContain('HW-1001');
  });

  it('orders one laptop when the hardware API fails and the step is retried', async () => {
    await fault('ops', { statuses: [503, 503], pathIncludes: '/hardware/orders' });
    const run = await runOf('hr', 'employee.hired', await exampleEventData('employee-hired'));
    expect(run.status).toBe('succeeded');
    expect(effects('ops', 'hardware.ordered')).toHaveLength(1);
  });
});

describe('order-fulfillment', () => {
  it('reserves, records the deal, charges once, ships with carrier A and warns about low stock', async () => {
    const run = await runOf('shop', 'order.created', await exampleEventData('order-created'));
    expect(run.error).toBeUndefined();
    expect(run.status).toBe('succeeded');
    expect(stepsOf(run)).toMatchObject({
      'label-a': 'succeeded',
      'label-b': 'skipped',
      'low-stock': 'succeeded',
    });
    expect(effects('stripe', 'charge.succeeded')).toHaveLength(1);
    expect(effects('easypost', 'label.purchased')).toHaveLength(1);
    expect(effects('shippo')).toEqual([]);
    expect(effects('hubspot', 'deal.created')).toHaveLength(1);
    expect(effects('slack', 'message.posted')[0]?.data).toMatchObject({ channelName: 'ops' });
    expect(run.output).toMatchObject({ carrier: 'easypost', trackingNumber: expect.any(String) });
  });

  it('charges once under injected Stripe 5xx faults and retries', async () => {
    await fault('stripe', { statuses: [500, 503] });
    const run = await runOf('shop', 'order.created', { sku: 'TSHIRT-BLK-M', qty: 2 });
    expect(run.status).toBe('succeeded');
    expect(effects('stripe', 'charge.succeeded')).toHaveLength(1);
    // Plenty of T-shirts: no low-stock message.
    expect(stepsOf(run)['low-stock']).toBe('skipped');
  });

  it('falls back to carrier B when carrier A is down', async () => {
    await fault('easypost', { errorRate: 1, errorStatus: 503 });
    const run = await runOf('shop', 'order.created', { sku: 'STICKER-PACK', qty: 3 });
    expect(run.status).toBe('succeeded');
    expect(stepsOf(run)).toMatchObject({ 'label-a': 'skipped', 'label-b': 'succeeded' });
    expect(effects('shippo', 'label.purchased')).toHaveLength(1);
    expect(run.output).toMatchObject({ carrier: 'shippo', trackingNumber: expect.any(String) });
  });

  it('releases the stock and tells #ops when the card is declined', async () => {
    const run = await runOf('shop', 'order.created', {
      sku: 'MUG-CERAMIC-12OZ',
      qty: 1,
      paymentMethod: 'pm_card_chargeDeclined',
    });
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'generic_decline' });
    expect(effects('inventory').map((e) => [e.kind, e.data?.sku, e.data?.quantity])).toEqual([
      ['stock.reserved', 'MUG-CERAMIC-12OZ', 1],
      ['stock.released', 'MUG-CERAMIC-12OZ', 1],
    ]);
    expect(effects('stripe', 'charge.succeeded')).toEqual([]);
    expect(effects('easypost')).toEqual([]);
    const messages = effects('slack', 'message.posted');
    expect(messages.at(-1)?.data).toMatchObject({ channelName: 'ops' });
    expect(String(messages.at(-1)?.data?.text)).toContain('rolled back');
  });

  it('does not run for an order with nothing to pay', async () => {
    expect((await webhook('shop', 'order.created', { total: 0 })).runs).toEqual([]);
  });

  it('runs with the CloudEvent file `baton run` takes, which wraps the same order', async () => {
    const file = join(examplesDir, 'events', 'order-created.cloudevent.json');
    const event = JSON.parse(await readFile(file, 'utf8')) as Pick<CloudEvent, 'source' | 'type'> & {
      data: { data: unknown };
    };
    expect(event.data.data).toEqual(await exampleEventData('order-created'));
    const { runId } = await gateway.engine.startRun('order-fulfillment', {
      specversion: '1.0',
      id: `evt-cloudevent-${Date.now()}`,
      time: new Date().toISOString(),
      ...event,
    });
    const run = await gateway.engine.waitForRun(runId, { timeoutMs: 60_000 });
    expect(run.status).toBe('succeeded');
  });
});

describe('disaster-recovery, nightly-backup and daily-report', () => {
  it('restores the latest backup, alerts, reroutes traffic and posts the incident', async () => {
    const run = await trigger('disaster-recovery', await exampleEventData('disaster'));
    expect(run.error).toBeUndefined();
    expect(run.status).toBe('succeeded');
    expect(effects('ops').map((e) => e.kind)).toEqual([
      'backup.restored',
      'traffic.rerouted',
      'alert.created',
    ]);
    expect(effects('slack', 'message.posted')).toHaveLength(1);
    const traffic = (await (await fetch(`${sandbox.url}/ops/traffic`)).json()) as { regions: unknown[] };
    expect(traffic.regions).toContainEqual({ name: 'us-east', weight: 100 });
    const status = (await (await fetch(`${sandbox.url}/ops/status`)).json()) as { status: string };
    expect(status.status).toBe('degraded_performance');
  });

  it('takes the nightly backup and reports it through the Slack webhook', async () => {
    const run = await trigger('nightly-backup', {});
    expect(run.status).toBe('succeeded');
    expect(effects('ops', 'backup.created')).toHaveLength(1);
    expect(effects('slack', 'message.posted')[0]?.data).toMatchObject({
      via: 'incoming-webhook',
      channelName: 'ops',
    });
  });

  it('posts the daily report with traffic, backups, alerts and stock', async () => {
    const run = await trigger('daily-report', {});
    expect(run.error).toBeUndefined();
    expect(run.status).toBe('succeeded');
    const text = String(effects('slack', 'message.posted')[0]?.data?.text);
    expect(text).toContain('eu-west 100%');
    expect(text).toContain('HOODIE-GRY-L 3');
  });
});
