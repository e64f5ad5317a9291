import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createGatewayLogger } from './logger';

function capture(secrets?: string[]) {
  const lines: Record<string, unknown>[] = [];
  const log = createGatewayLogger({
    ...(secrets ? { secrets } : {}),
    destination: { write: (line: string) => lines.push(JSON.parse(line)) },
  });
  return { log, lines };
}

function overflow(): RangeError {
  const recurse = (n: number): number => recurse(n + 1) + 1;
  try {
    recurse(0);
  } catch (error) {
    return error as RangeError;
  }
  throw new Error('expected a stack overflow');
}

describe('createGatewayLogger', () => {
  it.each([
    ['without secrets', undefined],
    ['with secrets', ['s3cret-value']],
  ])('writes an error with its type, message and stack %s', (_, secrets) => {
    const { log, lines } = capture(secrets);
    log.error({ err: overflow() }, 'admin API request failed');
    expect(lines[0]!.err).toMatchObject({
      type: 'RangeError',
      message: 'Maximum call stack size exceeded',
      stack: expect.stringContaining('RangeError: Maximum call stack size exceeded'),
    });
  });

  it('redacts secrets inside an error message, stack and cause', () => {
    const { log, lines } = capture(['s3cret-value']);
    const cause = new TypeError('inner s3cret-value');
    log.error({ err: new Error('outer s3cret-value', { cause }) }, 'failed');
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('s3cret-value');
    expect(lines[0]!.err).toMatchObject({ type: 'Error', message: 'outer [redacted]: inner [redacted]' });
    expect(text).toContain('inner [redacted]');
  });

  it('writes errors under other keys and from another realm, and leaves thrown non-errors as they are', () => {
    const { log, lines } = capture(['s3cret-value']);
    log.error({ error: runInNewContext('new SyntaxError("from the sandbox")') }, 'sandboxed');
    log.error({ err: 'a thrown string with s3cret-value' }, 'string');
    log.error({ err: { code: 'E_ODD' } }, 'object');
    expect(lines[0]!.error).toMatchObject({ type: 'SyntaxError', message: 'from the sandbox' });
    expect(lines[1]!.err).toBe('a thrown string with [redacted]');
    expect(lines[2]!.err).toEqual({ code: 'E_ODD' });
  });
});
