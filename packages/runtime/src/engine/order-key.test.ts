import { describe, expect, it } from 'vitest';
import { compileFlow } from '../compile/compile-flow';
import { type Flow, flowSchema } from '../flow/schema';
import type { EngineLogger } from '../log/logger';
import type { CloudEvent } from '../model/run-record';
import { orderKeyOf } from './order-key';

const flowWith = (orderKey?: string) =>
  compileFlow(
    flowSchema.parse({
      id: 'orders',
      trigger: { source: 'shop', event: 'order.*', ...(orderKey !== undefined ? { orderKey } : {}) },
      steps: [{ id: 'a', delay: '1s' }],
    }) as Flow,
  );

const event = (data: unknown): CloudEvent => ({
  specversion: '1.0',
  id: 'e1',
  source: 'shop',
  type: 'order.created',
  time: '2026-01-01T00:00:00.000Z',
  data,
});

function recordingLog() {
  const warnings: Array<{ fields: unknown; message: string }> = [];
  const log = {
    warn: (fields: unknown, message: string) => warnings.push({ fields, message }),
  } as unknown as EngineLogger;
  return { log, warnings };
}

describe('the order key of a new run', () => {
  const byCustomer = flowWith('{{ event.data.customer }}');

  it('is the evaluated key: strings as they are, other values as JSON, long ones by their SHA-256', async () => {
    const { log } = recordingLog();
    expect(await orderKeyOf(byCustomer, event({ customer: 'ann' }), log)).toBe('ann');
    expect(await orderKeyOf(byCustomer, event({ customer: 42 }), log)).toBe('42');
    expect(await orderKeyOf(byCustomer, event({ customer: { id: 7 } }), log)).toBe('{"id":7}');
    expect(await orderKeyOf(byCustomer, event({ customer: 'x'.repeat(201) }), log)).toMatch(
      /^sha256:[0-9a-f]{64}$/,
    );
    expect(await orderKeyOf(flowWith('all'), event({}), log)).toBe('all');
  });

  it('is none for a flow without orderKey and for a key that evaluates to nothing', async () => {
    const { log, warnings } = recordingLog();
    expect(await orderKeyOf(flowWith(), event({ customer: 'ann' }), log)).toBeUndefined();
    for (const data of [{}, { customer: null }, { customer: '' }]) {
      expect(await orderKeyOf(byCustomer, event(data), log)).toBeUndefined();
    }
    expect(warnings).toEqual([]);
  });

  it('is none, with a warning, when the key fails on the event', async () => {
    const { log, warnings } = recordingLog();
    const failing = flowWith('{{ $substring(event.data.customer, 0, 3) }}');
    expect(await orderKeyOf(failing, event({ customer: 'annabel' }), log)).toBe('ann');
    expect(await orderKeyOf(failing, event({ customer: 5 }), log)).toBeUndefined();
    expect(warnings).toEqual([
      {
        fields: expect.objectContaining({ flow: 'orders', eventId: 'e1' }),
        message: 'trigger orderKey failed on an event; the run starts unordered',
      },
    ]);
  });
});
