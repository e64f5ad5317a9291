import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CallAbort } from './call-abort';
import { defineAction, defineConnector } from './define';
import { NonRetryableError } from './errors/kinds';
import { createConnectorInstance } from './instance';

describe('CallAbort', () => {
  it('makes its signal on first use, aborted with the reason when the call already was', () => {
    const early = new CallAbort();
    const reason = new Error('stop');
    early.abort(reason);
    early.abort(new Error('ignored'));
    expect(early.aborted).toBe(true);
    expect(early.signal.aborted).toBe(true);
    expect(early.signal.reason).toBe(reason);

    const late = new CallAbort();
    const signal = late.signal;
    expect(late.signal).toBe(signal);
    expect(signal.aborted).toBe(false);
    late.abort();
    expect(signal.aborted).toBe(true);
    expect((signal.reason as DOMException).name).toBe('AbortError');
  });

  it('tells each listener once, at once when aborted already, and not after its removal', () => {
    const abort = new CallAbort();
    const heard: unknown[] = [];
    abort.onAbort((r) => heard.push(['a', r]));
    const off = abort.onAbort((r) => heard.push(['b', r]));
    off();
    abort.abort('why');
    abort.abort('again');
    abort.onAbort((r) => heard.push(['c', r]));
    expect(heard).toEqual([
      ['a', 'why'],
      ['c', 'why'],
    ]);
  });

  it('follows a signal, hands it out, and stops following it once released', () => {
    const controller = new AbortController();
    const followed = CallAbort.following(controller.signal);
    expect(followed.signal).toBe(controller.signal);
    const released = CallAbort.following(controller.signal);
    released.release();
    controller.abort('gone');
    expect(followed.aborted).toBe(true);
    expect(followed.reason).toBe('gone');
    expect(released.aborted).toBe(false);
    expect(CallAbort.following(AbortSignal.abort('before')).reason).toBe('before');
  });
});

describe('invoking with a CallAbort', () => {
  const seen: { signal?: AbortSignal } = {};
  const connector = defineConnector({
    name: 'waits',
    config: z.object({}),
    actions: {
      hang: defineAction({
        input: z.object({}),
        output: z.object({}),
        run: () => new Promise<{}>(() => {}),
      }),
      listen: defineAction({
        input: z.object({}),
        output: z.object({ aborted: z.boolean() }),
        async run({ signal }) {
          seen.signal = signal;
          return { aborted: signal.aborted };
        },
      }),
    },
  });
  const instance = createConnectorInstance(connector, {});

  it('ends a call that never reads its signal, with the abort reason when it is a Baton error', async () => {
    const timedOut = new CallAbort();
    setTimeout(() => timedOut.abort(), 20);
    await expect(
      instance.invoke('hang', { input: {}, idempotencyKey: 'k', abort: timedOut }),
    ).rejects.toMatchObject({ code: 'TIMEOUT', message: 'waits.hang timed out' });
    const cancelled = new CallAbort();
    setTimeout(() => cancelled.abort(new NonRetryableError('Cancelled', { code: 'RUN_CANCELLED' })), 20);
    await expect(
      instance.invoke('hang', { input: {}, idempotencyKey: 'k', abort: cancelled }),
    ).rejects.toMatchObject({ code: 'RUN_CANCELLED' });
  });

  it("gives the action the CallAbort's signal when it reads one", async () => {
    const abort = new CallAbort();
    expect(await instance.invoke('listen', { input: {}, idempotencyKey: 'k', abort })).toEqual({
      aborted: false,
    });
    expect(seen.signal).toBe(abort.signal);
    const aborted = new CallAbort();
    aborted.abort();
    await expect(
      instance.invoke('listen', { input: {}, idempotencyKey: 'k', abort: aborted }),
    ).rejects.toMatchObject({ code: 'TIMEOUT', message: 'waits.listen was aborted before it started' });
  });
});
