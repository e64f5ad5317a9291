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
