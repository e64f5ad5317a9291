import { BatonError } from '@baton/sdk';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { GatewayError } from './errors';
import { answerFor } from './on-error';

describe('answerFor (what the one onError answers)', () => {
  it('answers a Baton error whose code has a status as it is, also from another copy of the SDK', () => {
    const refusal = new BatonError('no run "r1"', { code: 'RUN_NOT_FOUND' });
    expect(answerFor(refusal, 'request')).toBe(refusal);
    // What a second copy of the SDK (or of the runtime's EngineError) makes: the same marker, another class.
    const foreign = Object.assign(new Error('no flow "f"'), {
      code: 'FLOW_NOT_FOUND',
      [Symbol.for('baton.error')]: true,
    });
    expect(answerFor(foreign, 'request')).toBe(foreign);
  });

  it("answers the backend's refusals with their fixed message and Retry-After, per asker", () => {
    const down = new BatonError('Redis is unavailable: connect ECONNREFUSED 10.0.0.5:6379', {
      code: 'BACKEND_UNAVAILABLE',
    });
    expect(answerFor(down, 'webhook')).toMatchObject({ code: 'BACKEND_UNAVAILABLE', retryAfterSeconds: 5 });
    expect(answerFor(down, 'webhook').message).toMatch(/not acknowledged/);
    expect(answerFor(down, 'request').message).not.toMatch(/10\.0\.0\.5/);
  });

  it("maps Hono's own 4xx to our codes, and anything else to INTERNAL without its message", () => {
    expect(answerFor(new HTTPException(415), 'request').code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const bug = answerFor(new TypeError('secret detail'), 'webhook');
    expect(bug).toBeInstanceOf(GatewayError);
    expect(bug).toMatchObject({
      code: 'INTERNAL',
      message: 'the webhook could not be handled; nothing was recorded',
    });
    expect(answerFor(new BatonError('a connector code', { code: 'ACME_DOWN' }), 'request')).toMatchObject({
      code: 'INTERNAL',
      message: 'the request failed; see the gateway log',
    });
    // A code without an HTTP status (a start-up refusal) is no answer of its own either.
    expect(answerFor(new BatonError('x', { code: 'HUB_INVALID' }), 'request').code).toBe('INTERNAL');
  });
});
