import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction, defineConnector } from './define';
import { ValidationError } from './errors/kinds';
import { createConnectorInstance } from './instance';
import { createCapturingLogger } from './testing/run-action';
import { createTestServer } from './testing/test-server';

const config = z.object({
  baseUrl: z.string().url(),
  apiKey: z.string(),
  region: z.enum(['eu', 'us']).default('eu'),
});

const helpdesk = defineConnector({
  name: 'acme-helpdesk',
  config,
  http: (cfg) => ({ baseURL: cfg.baseUrl, headers: { authorization: `Bearer ${cfg.apiKey}` } }),
  actions: {
    'create-ticket': defineAction({
      config,
      input: z.object({ subject: z.string(), email: z.string().email() }),
      output: z.object({ id: z.string() }),
      async run({ input, http, idempotencyKey, log, config: cfg }) {
        log.info(`creating ticket for ${input.email} with key ${cfg.apiKey}`);
        const { data } = await http.post('/tickets', input, {
          headers: { 'idempotency-key': idempotencyKey },
        });
        return { id: String(data.id) };
      },
    }),
    'bad-output': defineAction({
      input: z.object({}),
      output: z.object({ id: z.string() }),
      // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong output
      run: async () => ({ id: 42 }) as any,
    }),
    hang: defineAction({
      input: z.object({}),
      output: z.object({}),
      run: () => new Promise(() => {}),
    }),
  },
});

describe('createConnectorInstance', () => {
  it('validates the config at creation, naming the instance and each field', () => {
    expect(() =>
      createConnectorInstance(helpdesk, { baseUrl: 'not a url', region: 'mars' }, { name: 'desk' }),
    ).toThrow(ValidationError);
    try {
      createConnectorInstance(helpdesk, { baseUrl: 'not a url', region: 'mars' }, { name: 'desk' });
    } catch (error) {
      const e = error as ValidationError;
      expect(e.code).toBe('CONFIG_INVALID');
      expect(e.message).toMatch(/^Invalid config for connector instance "desk": /);
      expect(e.issues.map((i) => i.path)).toEqual(['baseUrl', 'apiKey', 'region']);
    }
  });

  it('applies config defaults', () => {
    const instance = createConnectorInstance(helpdesk, { baseUrl: 'https://x.example', apiKey: 'k-123456' });
    expect(instance.config).toMatchObject({ region: 'eu' });
  });

  it('invokes an action with validated input, the idempotency key and scrubbed logs', async () => {
    await using server = await createTestServer(() => ({ status: 201, json: { id: 77 } }));
    const instance = createConnectorInstance(
      helpdesk,
      { baseUrl: server.url, apiKey: 'sk_secret_value' },
      { egress: { allow: ['loopback'] } },
    );
    const log = createCapturingLogger();
    const output = await instance.invoke('create-ticket', {
      input: { subject: 'Hi', email: 'a@b.co' },
      idempotencyKey: 'run-1:create-ticket',
      log,
    });
    expect(output).toEqual({ id: '77' });
    expect(server.requests[0]?.headers['idempotency-key']).toBe('run-1:create-ticket');
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk_secret_value');
    expect(JSON.stringify(log.records)).not.toContain('sk_secret_value');
    expect(log.records[0]?.message).toBe('creating ticket for a@b.co with key [redacted]');
  });

  it('rejects bad input before running, naming the field', async () => {
    const instance = createConnectorInstance(helpdesk, { baseUrl: 'https://x.example', apiKey: 'k-123456' });
    await expect(
      instance.invoke('create-ticket', { input: { subject: 'x', email: 'nope' }, idempotencyKey: 'k' }),
    ).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      retryable: false,
      message: expect.stringContaining('email'),
    });
  });

  it('rejects output that breaks the schema', async () => {
    const instance = createConnectorInstance(helpdesk, { baseUrl: 'https://x.example', apiKey: 'k-123456' });
    await expect(instance.invoke('bad-output', { input: {}, idempotencyKey: 'k' })).rejects.toMatchObject({
      code: 'OUTPUT_INVALID',
      message: expect.stringContaining('id'),
    });
  });

  it('rejects unknown actions', async () => {
    const instance = createConnectorInstance(helpdesk, { baseUrl: 'https://x.example', apiKey: 'k-123456' });
    expect(instance.hasAction('create-ticket')).toBe(true);
    expect(instance.hasAction('toString')).toBe(false);
    await expect(instance.invoke('toString', { input: {}, idempotencyKey: 'k' })).rejects.toMatchObject({
      code: 'ACTION_NOT_FOUND',
    });
  });

  it('ends a call that ignores its signal when the signal aborts', async () => {
    const instance = createConnectorInstance(helpdesk, { baseUrl: 'https://x.example', apiKey: 'k-123456' });
    await expect(
      instance.invoke('hang', { input: {}, idempotencyKey: 'k', signal: AbortSignal.timeout(30) }),
    ).rejects.toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  it('keeps secrets out of the error when the server echoes them', async () => {
    await using server = await createTestServer((req) => ({
      status: 500,
      body: req.headers.authorization ?? '',
    }));
    const instance = createConnectorInstance(
      helpdesk,
      { baseUrl: server.url, apiKey: 'sk_secret_value' },
      { egress: { allow: ['loopback'] } },
    );
    const error = await instance
      .invoke('create-ticket', { input: { subject: 'x', email: 'a@b.co' }, idempotencyKey: 'k' })
      .catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'HTTP_500', retryable: true });
    expect(
      JSON.stringify({
        ...(error as object),
        message: (error as Error).message,
        stack: (error as Error).stack,
      }),
    ).not.toContain('sk_secret_value');
  });
});
