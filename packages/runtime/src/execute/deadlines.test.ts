import { CallAbort } from '@baton/sdk/host';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deadlines } from './deadlines';

describe('Deadlines', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function calls(deadlines: Deadlines) {
    const aborted: string[] = [];
    const call = (name: string, ms: number) => {
      const abort = new CallAbort();
      abort.onAbort(() => aborted.push(name));
      return deadlines.start(ms, abort);
    };
    return { aborted, call };
  }

  it('aborts each call once its own timeout passed, oldest first, and not the ones cleared', () => {
    const { aborted, call } = calls(new Deadlines());
    call('a', 30);
    const b = call('b', 30);
    vi.advanceTimersByTime(15);
    call('c', 30);
    call('short', 5);
    b.clear();
    vi.advanceTimersByTime(14);
    expect(aborted).toEqual(['short']);
    vi.advanceTimersByTime(1);
    expect(aborted).toEqual(['short', 'a']);
    vi.advanceTimersByTime(14);
    expect(aborted).toEqual(['short', 'a']);
    vi.advanceTimersByTime(1);
    expect(aborted).toEqual(['short', 'a', 'c']);
  });

  it('aborts with no reason of its own, as a timer calling abort() did', () => {
    const abort = new CallAbort();
    new Deadlines().start(1, abort);
    vi.advanceTimersByTime(1);
    expect(abort.aborted).toBe(true);
    expect((abort.reason as Error).name).toBe('AbortError');
  });

  it('times calls started after the list emptied, clearing twice doing nothing', () => {
    const { aborted, call } = calls(new Deadlines());
    const first = call('first', 20);
    first.clear();
    first.clear();
    vi.advanceTimersByTime(5);
    call('second', 20);
    vi.advanceTimersByTime(19);
    expect(aborted).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(aborted).toEqual(['second']);
  });
});
