import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { crm, crmConfig, startProvider } from '../auth/_test-provider';
import { memoryCredentialStore } from '../auth/memory-credential-store';
import { defineAction, defineConnector } from '../define';
import type { HttpError } from '../errors/http-error';
import { NonRetryableError } from '../errors/kinds';
import { checkConformance } from './conformance';
import { runAction, runCheck } from './run-action';
import { createTestServer } from './test-server';

const config = z.object({ baseUrl: z.string().url(), apiKey: z.string() });

const good = defineConnector({
  name: 'acme-helpdesk',
  config,
  http: (cfg) => ({ baseURL: cfg.baseUrl, headers: { authorization: `Bearer ${cfg.apiKey}` } }),
  actions: {
    'create-ticket': defineAction({
      input: z.object({ subject: z.string() }),
      output: z.object({ id: z.string() }),
      examples: [{ input: { subject: 'Printer on fire' }, output: { id: 't_1' } }],
      async run({ input, http }) {
        const { data } = await http.post('/tickets', input);
        return { id: String(data.id) };
      },
    }),
  },
});

describe('runAction', () => {
  it('runs against a local server with loopback allowed', async () => {
    await using server = await createTestServer(() => ({ json: { id: 5 } }));
    const { output } = await runAction(good, 'create-ticket', {
      config: { baseUrl: server.url, apiKey: 'k-123456' },
      input: { subject: 'x' },
    });
    expect(output).toEqual({ id: '5' });
    expect(server.requests[0]?.parsed).toEqual({ subject: 'x' });
  });
});

describe('checkConformance', () => {
  it('passes a well-behaved connector', async () => {
    const report = await checkConformance(good, { config: (baseUrl, apiKey) => ({ baseUrl, apiKey }) });
    expect(report.problems).toEqual([]);
    expect(report.passed).toContain('create-ticket: 429 is retryable and honours Retry-After');
  });

  it('reports each problem of a badly-behaved connector', async () => {
    const leaky = defineConnector({
      name: 'leaky',
      config,
      http: (cfg) => ({ baseURL: cfg.baseUrl, headers: { authorization: `Bearer ${cfg.apiKey}` } }),
      actions: {
        'do-thing': defineAction({
          input: z.object({ n: z.number() }),
          output: z.object({}),
          examples: [{ input: { n: 'one' as unknown as number } }],
          async run({ http }) {
            try {
              await http.get('/');
              return {};
            } catch (error) {
              // Swallows the classification and copies the response body into the message.
              const body = JSON.stringify((error as HttpError).response?.data);
              throw new NonRetryableError(`failed: ${body}`);
            }
          },
        }),
      },
    });
    const report = await checkConformance(leaky, {
      config: (baseUrl, apiKey) => ({ baseUrl, apiKey }),
      inputs: { 'do-thing': { n: 1 } },
    });
    expect(report.problems).toEqual([
      'do-thing: example 0 input parses',
      'do-thing: 503 is retryable',
      'do-thing: 429 is retryable and honours Retry-After',
    ]);
  });

  it('catches a secret the connector did not declare', async () => {
    const hook = z.object({ webhookUrl: z.string().url() });
    const undeclared = defineConnector({
      name: 'hooky',
      config: hook,
      actions: {
        send: defineAction({
          config: hook,
          input: z.object({ text: z.string() }),
          output: z.object({}),
          examples: [{ input: { text: 'hi' } }],
          async run({ input, http, config: cfg, log }) {
            log.info(`posting to ${cfg.webhookUrl}`);
            await http.post(cfg.webhookUrl, input);
            return {};
          },
        }),
      },
    });
    const options = {
      config: (baseUrl: string, secret: string) => ({ webhookUrl: `${baseUrl}/services/${secret}` }),
    };
    expect((await checkConformance(undeclared, options)).problems).toEqual([
      'send: the canary secret stays out of errors and logs',
    ]);
    const declared = defineConnector({ ...undeclared, secrets: (cfg) => [cfg.webhookUrl] });
    expect((await checkConformance(declared, options)).problems).toEqual([]);
  });
});

describe('the harness with an OAuth2 connector', () => {
  it('runAction fetches a token from the token endpoint and sends it', async () => {
    await using provider = await startProvider();
    const { output } = await runAction<{ token: string }>(crm, 'get-me', {
      config: crmConfig(provider),
      input: {},
    });
    expect(output.token).toBe(provider.state.issued[0]);
    expect(provider.state.tokenRequests).toHaveLength(1);
  });

  it('shares a token between calls given one credential store', async () => {
    await using provider = await startProvider();
    const credentials = memoryCredentialStore();
    for (let i = 0; i < 3; i++) {
      await runAction(crm, 'get-me', { config: crmConfig(provider), input: {}, credentials });
    }
    expect(provider.state.tokenRequests).toHaveLength(1);
  });

  it('runCheck runs the check with the authed client, and rejects refused credentials without retry', async () => {
    await using provider = await startProvider();
    await expect(runCheck(crm, { config: crmConfig(provider) })).resolves.toEqual({
      logs: expect.any(Array),
    });
    provider.revokeRefreshTokens();
    const error = await runCheck(crm, { config: crmConfig(provider) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CREDENTIALS_INVALID', retryable: false });
  });

  it('runCheck passes a connector without check or auth, making no request', async () => {
    await using server = await createTestServer();
    await runCheck(good, { config: { baseUrl: server.url, apiKey: 'k-123456' } });
    expect(server.requests).toHaveLength(0);
  });

  it('passes the conformance suite, token endpoint served by the test server', async () => {
    const report = await checkConformance(crm, {
      config: (baseUrl, secret) => ({
        baseUrl,
        tokenUrl: `${baseUrl}/oauth/token`,
        clientId: 'conformance',
        clientSecret: secret,
        refreshToken: secret,
      }),
      skipHttpChecks: ['leak'],
    });
    expect(report.problems).toEqual([]);
    expect(report.passed).toContain('get-me: sends the OAuth2 access token as a bearer');
    expect(report.passed).toContain('check: refused credentials fail it without retry');
  });
});

describe('runAction: provider throttle signals', () => {
  it('reports the throttles the answers carried, on success and on failure', async () => {
    await using server = await createTestServer(() => ({
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '12' },
      json: { id: 1 },
    }));
    const { throttles } = await runAction(good, 'create-ticket', {
      config: { baseUrl: server.url, apiKey: 'k-123456' },
      input: { subject: 'x' },
    });
    expect(throttles).toEqual([{ pauseMs: 12_000, source: 'x-ratelimit', status: 200 }]);
    server.setHandler(() => ({ status: 429, headers: { 'retry-after': '2' }, json: {} }));
    const error = await runAction(good, 'create-ticket', {
      config: { baseUrl: server.url, apiKey: 'k-123456' },
      input: { subject: 'x' },
    }).catch((e: unknown) => e);
    expect((error as { throttles?: unknown }).throttles).toEqual([
      { pauseMs: 2000, source: 'retry-after', status: 429 },
    ]);
  });
});
