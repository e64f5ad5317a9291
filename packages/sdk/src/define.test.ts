import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineAction, defineConnector, isConnector } from './define';
import type { HttpClient } from './http/create-http-client';

const config = z.object({ baseUrl: z.string().url(), apiKey: z.string() });

// The CONTRACT example, written exactly as a connector author would.
const contractExample = defineConnector({
  name: 'acme-helpdesk',
  config: z.object({ baseUrl: z.string().url(), apiKey: z.string() }),
  actions: {
    'create-ticket': defineAction({
      input: z.object({ subject: z.string(), email: z.string().email() }),
      output: z.object({ id: z.string() }),
      async run({ input, config, http, idempotencyKey, log, signal }) {
        expectTypeOf(input).toEqualTypeOf<{ subject: string; email: string }>();
        // Inline, without `config:`, TypeScript cannot see the connector's schema.
        expectTypeOf(config).toEqualTypeOf<unknown>();
        expectTypeOf(http).toEqualTypeOf<HttpClient>();
        expectTypeOf(idempotencyKey).toEqualTypeOf<string>();
        expectTypeOf(signal).toEqualTypeOf<AbortSignal>();
        log.info('creating ticket', { subject: input.subject });
        return { id: 't_1' };
      },
    }),
  },
});

describe('defineAction', () => {
  it('infers input from the schema output and expects the output schema input', () => {
    const action = defineAction({
      input: z.object({ qty: z.coerce.number(), note: z.string().optional() }),
      output: z.object({ ok: z.boolean() }),
      async run({ input }) {
        expectTypeOf(input.qty).toEqualTypeOf<number>();
        expectTypeOf(input.note).toEqualTypeOf<string | undefined>();
        return { ok: true };
      },
    });
    expectTypeOf(action.run).returns.toEqualTypeOf<Promise<{ ok: boolean }>>();
  });

  it('types config from an explicit schema when written in its own file', () => {
    defineAction({
      config,
      input: z.object({}),
      output: z.object({}),
      async run({ config: cfg }) {
        expectTypeOf(cfg).toEqualTypeOf<{ baseUrl: string; apiKey: string }>();
        return {};
      },
    });
  });

  it('rejects a run whose result does not match the output schema', () => {
    defineAction({
      input: z.object({}),
      output: z.object({ id: z.string() }),
      // @ts-expect-error id must be a string
      async run() {
        return { id: 1 };
      },
    });
  });
});

describe('defineConnector', () => {
  it('returns the definition unchanged', () => {
    expect(contractExample.name).toBe('acme-helpdesk');
    expect(Object.keys(contractExample.actions)).toEqual(['create-ticket']);
    expect(isConnector(contractExample)).toBe(true);
    expect(isConnector({ name: 'x' })).toBe(false);
  });

  it('refuses names that are not kebab-case, saying which', () => {
    expect(() => defineConnector({ name: 'Acme', config, actions: {} })).toThrow(
      /Connector name "Acme" must be kebab-case/,
    );
    expect(() =>
      defineConnector({
        name: 'acme',
        config,
        actions: {
          createTicket: defineAction({ input: z.object({}), output: z.object({}), run: async () => ({}) }),
        },
      }),
    ).toThrow(/Action name "createTicket" of connector "acme" must be kebab-case/);
  });

  it('refuses an action without schemas', () => {
    expect(() =>
      defineConnector({
        name: 'acme',
        config,
        // @ts-expect-error not an action
        actions: { 'do-it': { run: async () => ({}) } },
      }),
    ).toThrow(/needs input and output zod schemas/);
  });

  it('rejects an action whose config type does not match the connector', () => {
    const other = defineAction({
      config: z.object({ token: z.number() }),
      input: z.object({}),
      output: z.object({}),
      run: async () => ({}),
    });
    defineConnector({
      name: 'acme',
      config,
      // @ts-expect-error config types differ
      actions: { other },
    });
  });
});
