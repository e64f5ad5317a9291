import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/workspace';

/**
 * The builds do without esbuild's keepNames (it costs a call per closure on
 * the hot paths), so this checks what keepNames would have guaranteed:
 * every error class in the built bundles keeps its own name, which is how
 * errors are recognised across copies of the SDK and what `name` says in
 * serialized errors.
 */
describe('built bundles', () => {
  it('keep the names of the SDK error classes', async () => {
    const sdk = (await import(pathToFileURL(join(repoRoot, 'packages/sdk/dist/index.js')).href)) as Record<
      string,
      unknown
    >;
    const classes = Object.entries(sdk).filter(
      ([name, value]) =>
        typeof value === 'function' && /Error$/.test(name) && value.prototype instanceof Error,
    );
    expect(classes.map(([name]) => name).sort()).toEqual(
      expect.arrayContaining([
        'BatonError',
        'NonRetryableError',
        'RateLimitedError',
        'RetryableError',
        'TimeoutError',
      ]),
    );
    for (const [name, value] of classes) {
      // HttpError needs its status; the other classes ignore it.
      const ErrorClass = value as new (message: string, options: object) => Error;
      expect(ErrorClass.name).toBe(name);
      expect(new ErrorClass('x', { status: 500 }).name).toBe(name);
    }
  });

  it('keep the name of the gateway error class', async () => {
    const gateway = (await import(pathToFileURL(join(repoRoot, 'packages/gateway/dist/index.js')).href)) as {
      GatewayError: new (code: string, message: string) => Error;
    };
    expect(gateway.GatewayError.name).toBe('GatewayError');
  });
});
