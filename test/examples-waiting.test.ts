import type { RunningGateway } from '@baton/gateway';
import type { RunRecord } from '@baton/runtime';
import type { RunningSandbox } from '@baton/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ExampleGateway, startExampleGateway } from './helpers/example-gateway';
import { exampleEventData } from './helpers/examples';
import { until } from './helpers/until';

/**
 * The example flows that wait (for a webhook, for a person) run end to end:
 * the sandbox's Stripe and EasyPost send their own signed webhooks to the
 * gateway, decisions go through the admin API, and the flows call the
 * sandbox through the example config. The hub holds every example flow, so
 * a webhook also shows which flows it starts.
 */
let sandbox: RunningSandbox;
let gateway: RunningGateway;
let env: Record<string, string>;

/** The payment wait of the store order flow, shortened from 30 minutes so the lost-webhook path ends in the test. */
const PAYMENT_WAIT_IN_TEST = '2s';

let example: ExampleGateway | undefined;

beforeAll(async () => {
  example = await startExampleGateway({ editFlow: shortPaymentWait });
  ({ sandbox, gateway, env } = example);
});

afterAll(() => example?.close());

beforeEach(() => sandbox.state.reset());

/** The store order's payment wait shortened (after checking the real file's value). */
function shortPaymentWait(flow: Record<string, unknown>) {
  if (flow.id !== 'store-order-fulfillment') return;
  const paid = (flow.steps as Array<Record<string, unknown>>).find((s) => s.id === 'paid')!;
  expect(paid.timeout).toBe('30m');
  paid.timeout = PAYMENT_WAIT_IN_TEST;
}

const effects = (system: string, kind?: string) =>
  sandbox.state.effects.filter((e) => e.system === system && (kind === undefined || e.kind === kind));

async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const control = (method: string, path: string, body?: unknown) =>
  call(method, `${sandbox.url}/_sandbox/${path}`, body);

/** Has the sandbox sign and post a webhook to the gateway; returns the runs it started. */
async function emit(source: string, request: Record<string, unknown>) {
  const sent = await control('POST', 'webhooks/emit', {
    to: `${gateway.url}/webhooks/${source}`,
    ...request,
  });
  expect(sent.status).toBe(200);
  expect(sent.body.status).toBe(202);
  return sent.body.body.runs as Array<{ flow: string; runId: string }>;
}

/** The one run a webhook started, of the flow expected. */
async function startedBy(source: string, request: Record<string, unknown>, flow: string) {
  const runs = await emit(source, request);
  expect(runs.map((r) => r.flow)).toEqual([flow]);
  return runs[0]!.runId;
}

const finished = (runId: string) => gateway.engine.waitForRun(runId, { timeoutMs: 60_000 });

async function waitingAt(runId: string, step: string): Promise<RunRecord> {
  return until(async () => {
    const run = await gateway.engine.getRun(runId);
    if (run && !['running', 'waiting'].includes(run.status)) {
      throw new Error(`run ended ${run.status} before ${step} waited: ${JSON.stringify(run.error)}`);
    }
    // The run's status follows its step's in a write of its own, a moment later.
    const parked = run?.status === 'waiting' && run.steps.find((s) => s.id === step)?.status === 'waiting';
    return parked ? run : undefined;
  }, `step ${step} of run ${runId} waiting, and the run with it`);
}

async function decide(runId: string, step: string, decision: 'approve' | 'reject', by: string) {
  const answer = await call('POST', `${gateway.url}/api/runs/${runId}/steps/${step}/decision`, {
    decision,
    by,
    comment: `${decision}d in the example test`,
  });
  expect(answer.status).toBe(200);
}

const stepOf = (run: RunRecord, id: string) => run.steps.find((s) => s.id === id)!;
const slackTexts = () => effects('slack', 'message.posted').map((e) => String(e.data?.text));

describe('store-order-fulfillment: waits for Stripe to confirm the payment', () => {
  const order = async (extra: Record<string, unknown> = {}) =>
    startedBy(
      'store',
      {
        scheme: 'shopify',
        secret: env.SHOPIFY_WEBHOOK_SECRET,
        event: 'order.created',
        type: 'orders/create',
        data: { ...(await exampleEventData('order-created')), ...extra },
      },
      'store-order-fulfillment',
    );
  const stripeSends = (mode: 'deliver' | 'never') =>
    control('PUT', 'webhooks/stripe', {
      url: `${gateway.url}/webhooks/stripe`,
      secret: env.STRIPE_WEBHOOK_SECRET,
      mode,
    });

  it('ships once the signed payment_intent.succeeded of its own intent arrives', async () => {
    expect((await stripeSends('deliver')).status).toBe(200);
    const run = await finished(await order());
    expect(run.error).toBeUndefined();
    expect(run.status).toBe('succeeded');
    const intent = run.output as { paymentIntent: string; paidBy: string; trackingNumber: string };
    expect(intent.paymentIntent).toMatch(/^pi_/);
    expect(stepOf(run, 'paid').output).toMatchObject({
      source: 'stripe',
      type: 'payment_intent.succeeded',
      id: intent.paidBy,
      data: { data: { object: { id: intent.paymentIntent, status: 'succeeded' } } },
    });
    expect(effects('stripe', 'charge.succeeded')).toHaveLength(1);
    expect(effects('stripe', 'refund.created')).toEqual([]);
    expect(effects('easypost', 'label.purchased')).toHaveLength(1);
    expect(intent.trackingNumber).toEqual(expect.any(String));
    expect(effects('inventory').map((e) => e.kind)).toEqual(['stock.reserved']);
  });

  it('times out with WAIT_TIMEOUT when the webhook never comes, refunds, releases the stock and tells #ops', async () => {
    expect((await stripeSends('never')).status).toBe(200);
    const runId = await order({ sku: 'MUG-CERAMIC-12OZ', qty: 2 });
    expect((await waitingAt(runId, 'paid')).status).toBe('waiting');
    const run = await finished(runId);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'WAIT_TIMEOUT' });
    const deliveries = (await control('GET', 'webhooks/deliveries')).body;
    expect(JSON.stringify(deliveries)).toContain('withheld');
    expect(effects('stripe', 'charge.succeeded')).toHaveLength(1);
    expect(effects('stripe', 'refund.created')).toHaveLength(1);
    expect(effects('inventory').map((e) => [e.kind, e.data?.sku, e.data?.quantity])).toEqual([
      ['stock.reserved', 'MUG-CERAMIC-12OZ', 2],
      ['stock.released', 'MUG-CERAMIC-12OZ', 2],
    ]);
    expect(effects('easypost')).toEqual([]);
    expect(slackTexts().at(-1)).toContain('rolled back');
  });
});

describe('privileged-onboarding: an approval and a parcel delivery', () => {
  const hire = async () =>
    startedBy(
      'hr',
      {
        scheme: 'github',
        secret: env.HR_WEBHOOK_SECRET,
        event: 'employee.hired',
        data: { ...(await exampleEventData('employee-hired')), adminAccess: true },
      },
      // Only this flow: employee-onboarding leaves hires needing admin access to it.
      'privileged-onboarding',
    );

  beforeEach(async () => {
    // The directory's admins group, which the sandbox does not seed.
    const group = await call(
      'POST',
      `${sandbox.url}/scim/v2/Groups`,
      { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'admins' },
      { authorization: `Bearer ${env.SCIM_TOKEN}` },
    );
    expect(group.status).toBe(201);
    // A long transit, so the parcel arrives when the test delivers it.
    const endpoint = await control('PUT', 'webhooks/easypost', {
      url: `${gateway.url}/webhooks/easypost`,
      secret: env.EASYPOST_WEBHOOK_SECRET,
      delayMs: 600_000,
      headers: { 'X-EasyPost-Event': 'tracker.updated' },
    });
    expect(endpoint.status).toBe(200);
  });

  it('grants admin access once approved, waits for the laptop, then enrols and welcomes', async () => {
    const runId = await hire();
    const asking = await waitingAt(runId, 'admin-ok');
    expect(asking.status).toBe('waiting');
    expect(JSON.stringify(stepOf(asking, 'admin-ok'))).toContain(
      'Admin access for priya.raman@acme.example?',
    );
    expect(effects('scim', 'group.member_added')).toEqual([]);

    await decide(runId, 'admin-ok', 'approve', 'maria@acme.example');
    const parcel = await waitingAt(runId, 'laptop-delivered');
    expect(effects('scim', 'group.member_added').map((e) => e.data?.displayName)).toEqual(['admins']);
    expect(effects('ops', 'enrollment.created')).toEqual([]);

    const shipmentId = (stepOf(parcel, 'laptop').output as { shipmentId: string }).shipmentId;
    const delivered = await call('POST', `${sandbox.url}/_sandbox/easypost/shipments/${shipmentId}/deliver`);
    expect(delivered.status).toBe(200);

    const run = await finished(runId);
    expect(run.error).toBeUndefined();
    expect(run.status).toBe('succeeded');
    expect(stepOf(run, 'laptop-delivered').output).toMatchObject({
      source: 'easypost',
      type: 'tracker.updated',
      data: { result: { shipment_id: shipmentId, status: 'delivered' } },
    });
    expect(run.output).toMatchObject({ approvedBy: 'maria@acme.example' });
    expect(effects('ops', 'enrollment.created').map((e) => e.data?.courseId)).toEqual([
      'security-awareness',
      'code-of-conduct',
    ]);
    expect(slackTexts().at(-1)).toContain('approved by maria@acme.example');
  });

  it('ends failed with APPROVAL_REJECTED when admin access is refused, shipping nothing', async () => {
    const runId = await hire();
    await waitingAt(runId, 'admin-ok');
    await decide(runId, 'admin-ok', 'reject', 'security@acme.example');
    const run = await finished(runId);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'APPROVAL_REJECTED' });
    expect(effects('scim', 'group.member_added')).toEqual([]);
    expect(effects('easypost')).toEqual([]);
    expect(slackTexts().at(-1)).toContain('stopped');
  });
});

describe('software-update: approved, deployed, checked, rolled back when unhealthy', () => {
  async function approvedUpdate(version: string) {
    const started = await call('POST', `${gateway.url}/api/flows/software-update/trigger`, {
      data: { service: 'storefront', version },
    });
    expect(started.status).toBe(202);
    const runId = started.body.runId as string;
    const asking = await waitingAt(runId, 'go');
    expect(JSON.stringify(stepOf(asking, 'go'))).toContain(`Deploy storefront ${version} now?`);
    expect(effects('ops', 'deployment.created')).toEqual([]);
    await decide(runId, 'go', 'approve', 'oncall@acme.example');
    return finished(runId);
  }
  const storefront = async () => {
    const health = await call('GET', `${sandbox.url}/ops/health?service=storefront`);
    return { status: health.status, version: health.body.services[0].version };
  };

  it('puts a healthy release live and announces it', async () => {
    const run = await approvedUpdate('2.5.0');
    expect(run.error).toBeUndefined();
    expect(run.status).toBe('succeeded');
    expect(run.output).toMatchObject({ version: '2.5.0', approvedBy: 'oncall@acme.example' });
    expect(await storefront()).toEqual({ status: 200, version: '2.5.0' });
    expect(effects('ops', 'deployment.rolled_back')).toEqual([]);
    expect(slackTexts().at(-1)).toContain('storefront 2.5.0 is live and healthy');
  });

  it('rolls an unhealthy release back through compensation', async () => {
    expect((await control('PUT', 'ops/switches', { unhealthyVersions: ['2.5.0'] })).status).toBe(200);
    const run = await approvedUpdate('2.5.0');
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'HTTP_503' });
    expect(stepOf(run, 'health').status).toBe('failed');
    expect(effects('ops').map((e) => [e.kind, e.data])).toEqual([
      ['deployment.created', { service: 'storefront', version: '2.5.0', previousVersion: '2.4.0' }],
      ['deployment.rolled_back', { service: 'storefront', from: '2.5.0', to: '2.4.0' }],
    ]);
    expect(await storefront()).toEqual({ status: 200, version: '2.4.0' });
    expect(slackTexts().at(-1)).toContain('did not go through');
  });
});

describe('traffic-surge: scale out, or reroute when there is no capacity', () => {
  const surge = (load: number) =>
    startedBy(
      'alertmanager',
      {
        scheme: 'hmac-sha256',
        secret: env.ALERTMANAGER_WEBHOOK_SECRET,
        header: 'X-Alertmanager-Signature',
        prefix: 'sha256=',
        typeHeader: 'X-Alertmanager-Event',
        envelope: false,
        event: 'traffic.surge',
        data: { load, region: 'eu-west' },
      },
      'traffic-surge',
    );
  const traffic = async () => (await call('GET', `${sandbox.url}/ops/traffic`)).body;

  it('scales the region out and rebalances', async () => {
    const run = await finished(await surge(92));
    expect(run.error).toBeUndefined();
    expect(run.status).toBe('succeeded');
    expect(run.output).toMatchObject({ action: 'scaled' });
    expect(effects('ops', 'traffic.scaled').map((e) => e.data)).toEqual([
      { region: 'eu-west', from: 6, to: 10 },
    ]);
    expect(effects('ops', 'traffic.rebalanced')).toHaveLength(1);
    expect(effects('ops', 'traffic.rerouted')).toEqual([]);
    expect((await traffic()).regions).toContainEqual({ name: 'eu-west', weight: 72 });
    expect(slackTexts().at(-1)).toContain('scaled eu-west from 6 to 10 replicas');
  });

  it('reroutes to another data centre when scaling fails', async () => {
    expect((await control('PUT', 'ops/switches', { scaleFails: true })).status).toBe(200);
    const run = await finished(await surge(92));
    expect(run.error).toBeUndefined();
    expect(run.status).toBe('succeeded');
    expect(run.output).toMatchObject({ action: 'rerouted' });
    expect(stepOf(run, 'rebalance').status).toBe('skipped');
    expect(effects('ops', 'traffic.scaled')).toEqual([]);
    expect(effects('ops', 'traffic.rerouted').map((e) => e.data)).toEqual([
      { from: 'eu-west', to: 'us-east', moved: 40 },
    ]);
    expect((await traffic()).regions).toContainEqual({ name: 'us-east', weight: 40 });
    expect(slackTexts().at(-1)).toContain('moved 40% of the traffic from eu-west to us-east');
  });

  it('does nothing but report below the scaling threshold', async () => {
    const run = await finished(await surge(82));
    expect(run.status).toBe('succeeded');
    expect(run.output).toMatchObject({ action: 'none' });
    expect(effects('ops')).toEqual([]);
    expect(slackTexts().at(-1)).toContain('below the scaling threshold');
  });
});
