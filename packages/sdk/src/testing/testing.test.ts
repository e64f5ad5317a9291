import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction, defineConnector } from '../define';
import type { HttpError } from '../errors/http-error';
import { NonRetryableError } from '../errors/kinds';
import { checkConformance } from './conformance';
import { runAction } from './run-action';
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
