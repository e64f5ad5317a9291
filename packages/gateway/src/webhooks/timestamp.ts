import { GatewayError } from '../errors';

/**
 * Checks a signed Unix timestamp (seconds) against now, in both directions:
 * a replayed old request and a request from the future are both refused
 * (Stripe's own library accepts future timestamps; we do not).
 */
export function checkTimestamp(seconds: string | undefined, now: number, toleranceMs: number): number {
  if (!seconds || !/^\d+$/.test(seconds)) {
    throw new GatewayError('SIGNATURE_MISSING', 'the signed timestamp is missing or not a number');
  }
  const at = Number(seconds) * 1000;
  if (Math.abs(now - at) > toleranceMs) {
    const direction = at < now ? 'old' : 'far in the future';
    throw new GatewayError(
      'TIMESTAMP_OUT_OF_TOLERANCE',
      `the signed timestamp is too ${direction} (${Math.round(Math.abs(now - at) / 1000)}s off; tolerance ${Math.round(toleranceMs / 1000)}s)`,
    );
  }
  return at;
}

let lastMs = Number.NaN;
let lastIso = '';

/**
 * `new Date(ms).toISOString()`, remembering the last answer: a signed
 * timestamp has whole seconds, so the webhooks of one second share it
 * (formatting a date costs about a microsecond).
 */
export function signedTime(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
