import type { RunningGateway } from '@baton/gateway';
import type { RunRecord } from '@baton/runtime';
import type { RunningSandbox } from '@baton/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ExampleGateway, startExampleGateway } from './helpers/example-gateway';

/**
 * The password-reset example end to end: the sandbox signs the identity
 * system's `user.password_reset_requested` and posts it to the gateway, the
 * flow has the sandbox's ops API issue a token and sends the link through
 * the sandbox's real SMTP server, whose mailbox the test reads over HTTP.
 */
let sandbox: RunningSandbox;
let gateway: RunningGateway;
let env: Record<string, string>;

/** The mail step's first retry, shortened from 30 seconds so the greylisted delivery ends in the test. */
const MAIL_RETRY_IN_TEST = '100ms';

/** Lena Fischer, the SCIM seed user the sandbox's event asks for. */
const LENA = { userId: '2c5d8a40-1f6e-4b7a-8c3d-000000000103', email: 'lena.fischer@acme.example' };

let example: ExampleGateway | undefined;

beforeAll(async () => {
  example = await startExampleGateway({ concurrency: 4, editFlow: shortMailRetry });
  ({ sandbox, gateway, env } = example);
});

afterAll(() => example?.close());

beforeEach(() => sandbox.state.reset());

/** The mail step's first retry shortened (after checking the real file's value). */
function shortMailRetry(flow: Record<string, unknown>) {
  if (flow.id !== 'password-reset') return;
  const email = (flow.steps as Array<{ id: string; retry: Record<string, unknown> }>).find(
    (s) => s.id === 'email',
  )!;
  expect(email.retry.initialInterval).toBe('30s');
  email.retry.initialInterval = MAIL_RETRY_IN_TEST;
}

async function getJson(url: string) {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return res.json();
}

/** Has the sandbox sign the identity system's webhook and post it to the gateway; returns the run it started. */
async function resetRequested(data: Record<string, unknown> = {}): Promise<string> {
  const res = await fetch(`${sandbox.url}/_sandbox/webhooks/emit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      to: `${gateway.url}/webhooks/identity`,
      scheme: 'standard-webhooks',
      secret: env.IDENTITY_WEBHOOK_SECRET,
      event: 'user.password_reset_requested',
      data,
    }),
  });
  expect(res.status).toBe(200);
  const sent = (await res.json()) as {
    status: number;
    body: { runs: Array<{ flow: string; runId: string }> };
  };
  expect(sent.status).toBe(202);
  // The hub holds every example flow: only this one answers the identity system.
  expect(sent.body.runs.map((r) => r.flow)).toEqual(['password-reset']);
  return sent.body.runs[0]!.runId;
}

const finished = (runId: string) => gateway.engine.waitForRun(runId, { timeoutMs: 30_000 });
const stepOf = (run: RunRecord, id: string) => run.steps.find((s) => s.id === id)!;

interface Mail {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

const mailTo = async (address: string) =>
  (
    (await getJson(`${sandbox.url}/mailbox/messages?to=${encodeURIComponent(address)}`)) as {
      messages: Mail[];
    }
  ).messages;

interface ResetToken {
  token: string;
  userId: string;
  email: string;
  resetUrl: string;
  expiresAt: string;
}

const tokensOf = async (userId: string) =>
  ((await getJson(`${sandbox.url}/ops/users/${userId}/reset-tokens`)) as { tokens: ResetToken[] }).tokens;

describe('password-reset: an identity webhook becomes a reset token and an email', () => {
  it('emails the user the reset link of the token the ops API issued', async () => {
    const run = await finished(await resetRequested());
    expect(run.error).toBeUndefined();
    expect(run.status).toBe('succeeded');

    const tokens = await tokensOf(LENA.userId);
    expect(tokens).toHaveLength(1);
    const [issued] = tokens as [ResetToken];
    expect(issued).toMatchObject({ userId: LENA.userId, email: LENA.email });
    expect(issued.resetUrl).toBe(`https://login.acme.example/reset-password?token=${issued.token}`);
    // One hour, as the flow asks.
    expect(Date.parse(issued.expiresAt) - Date.now()).toBeGreaterThan(55 * 60_000);

    const mails = await mailTo(LENA.email);
    expect(mails).toHaveLength(1);
    const [mail] = mails as [Mail];
    expect(mail).toMatchObject({
      from: 'no-reply@acme.test',
      to: [LENA.email],
      subject: 'Reset your Acme password',
    });
    expect(mail.text).toContain(`\n${issued.resetUrl}\n`);
    expect(mail.text).toContain(`before ${issued.expiresAt}`);
    expect(mail.text).toContain('from 203.0.113.42');
    expect(mail.html).toContain(`href="${issued.resetUrl}"`);
    expect(mail.headers['x-baton-idempotency-key']).toEqual(expect.any(String));
    expect(run.output).toEqual({
      userId: LENA.userId,
      expiresAt: issued.expiresAt,
      messageId: mail.messageId,
    });
  });

  it('retries a greylisted delivery: the second attempt is accepted, with one token and one mail', async () => {
    const greylisted = 'greylist@acme.example';
    const run = await finished(await resetRequested({ email: greylisted }));
    expect(run.error).toBeUndefined();
    expect(run.status).toBe('succeeded');

    const attempts = stepOf(run, 'email').attempts;
    expect(attempts.map((a) => a.error?.code)).toEqual(['SMTP_TEMPORARY_FAILURE', undefined]);
    expect(stepOf(run, 'token').attempts).toHaveLength(1);

    const [issued, ...more] = await tokensOf(LENA.userId);
    expect(more).toEqual([]);
    const mails = await mailTo(greylisted);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain(issued!.resetUrl);
  });

  it('fails at once when the mail server refuses the mailbox (5xx), sending nothing', async () => {
    const bounced = 'bounce@acme.example';
    const run = await finished(await resetRequested({ email: bounced }));
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'SMTP_REJECTED' });
    expect(stepOf(run, 'email').attempts).toHaveLength(1);
    expect(await mailTo(bounced)).toEqual([]);
  });
});
