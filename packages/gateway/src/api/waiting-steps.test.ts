import { describe, expect, it } from 'vitest';
import { type FixtureGateway, fixtureCopies } from '../test-support/fixture-copy';
import { signers } from '../test-support/signers';

/**
 * Steps that wait, over HTTP: a Stripe event signed by Stripe's library
 * ends the wait it correlates with (the 202 lists it in `resumed`), and
 * `POST /api/runs/:id/steps/:step/decision` decides an approval step
 * (200, then 409 once decided; 404, 400 and 415 for the wrong request).
 */
describe('steps that wait, through the gateway', () => {
  const serve = fixtureCopies('waits');
  let gw: FixtureGateway | undefined;

  async function start() {
    const flow = {
      id: 'pay-then-ok',
      trigger: { source: 'github', event: 'issues' },
      steps: [
        {
          id: 'paid',
          wait: {
            source: 'stripe',
            event: 'payment_intent.succeeded',
            key: '{{ event.data.issue.title }}',
            eventKey: '{{ event.data.data.object.id }}',
          },
        },
        { id: 'ok', approval: { title: 'Ship {{ steps.paid.output.data.data.object.id }}?' } },
      ],
    };
    gw = await serve(flow);
    return gw;
  }

  const stepOf = async (runId: string, step: string) => {
    const run = (await (await gw!.app.request(`/api/runs/${runId}`)).json()) as {
      status: string;
      steps: Array<{ id: string; status: string; output: unknown; wait?: unknown; approval?: unknown }>;
    };
    return { run, step: run.steps.find((s) => s.id === step)! };
  };

  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 20));
  };

  it('resumes a wait from a signed Stripe event and decides the approval over the admin API', async () => {
    const { app } = await start();
    const issue = JSON.stringify({ action: 'opened', issue: { title: 'pi_42' } });
    const started = await app.request('/webhooks/github', {
      method: 'POST',
      headers: await signers.github(issue, { event: 'issues' }),
      body: issue,
    });
    expect(started.status).toBe(202);
    const runId = ((await started.json()) as { runs: Array<{ runId: string }> }).runs.find((r) => r)!.runId;
    await until(async () => (await stepOf(runId, 'paid')).step.status === 'waiting');
    expect((await stepOf(runId, 'paid')).step.wait).toMatchObject({ source: 'stripe', key: 'pi_42' });

    const event = JSON.stringify({
      id: 'evt_1',
      object: 'event',
      type: 'payment_intent.succeeded',
      data: { object: { id: 'pi_42', object: 'payment_intent', status: 'succeeded' } },
    });
    const paid = await app.request('/webhooks/stripe', {
      method: 'POST',
      headers: signers.stripe(event),
      body: event,
    });
    expect(paid.status).toBe(202);
    const answer = (await paid.json()) as { runs: Array<{ flow: string }>; resumed: unknown };
    expect(answer.resumed).toEqual([{ flow: 'pay-then-ok', runId, step: 'paid' }]);
    // The event that ended the wait still starts the flows it triggers.
    expect(answer.runs.map((r) => r.flow)).toEqual(['payments']);

    // The run's status follows its step's in a write of its own, a moment later.
    await until(async () => {
      const now = await stepOf(runId, 'ok');
      return now.step.status === 'waiting' && now.run.status === 'waiting';
    });
    const waiting = await stepOf(runId, 'ok');
    expect(waiting.run.status).toBe('waiting');
    expect(waiting.step.approval).toMatchObject({ title: 'Ship pi_42?' });

    const decide = (
      body: unknown,
      headers: Record<string, string> = { 'content-type': 'application/json' },
    ) =>
      app.request(`/api/runs/${runId}/steps/ok/decision`, {
        method: 'POST',
        headers,
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    expect((await decide({ decision: 'maybe' })).status).toBe(400);
    expect((await decide('{"decision":', { 'content-type': 'application/json' })).status).toBe(400);
    expect((await decide({ decision: 'approve' }, { 'content-type': 'text/plain' })).status).toBe(415);
    expect(
      (
        await app.request(`/api/runs/${runId}/steps/nope/decision`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ decision: 'approve' }),
        })
      ).status,
    ).toBe(404);

    const approved = await decide({ decision: 'approve', by: 'maria', comment: 'paid' });
    expect(approved.status).toBe(200);
    const body = (await approved.json()) as { steps: Array<{ id: string; status: string; output: unknown }> };
    expect(body.steps.find((s) => s.id === 'ok')).toMatchObject({
      status: 'succeeded',
      output: { decision: 'approve', by: 'maria', comment: 'paid' },
    });
    const again = await decide({ decision: 'reject', by: 'bob' });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('STEP_NOT_WAITING');
    await until(async () => (await stepOf(runId, 'ok')).run.status === 'succeeded');
    expect((await stepOf(runId, 'ok')).run.status).toBe('succeeded');
  });
});
