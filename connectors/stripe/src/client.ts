import { createHash } from 'node:crypto';
import type { HttpClient, HttpSetup } from '@baton/sdk';
import qs from 'qs';
import type { StripeConfig } from './config';
import { fromStripeFailure } from './errors';

/** Auth and version headers on every request. */
export function httpSetup(config: StripeConfig): HttpSetup {
  return {
    baseURL: config.baseUrl,
    headers: {
      authorization: `Bearer ${config.apiKey}`,
      ...(config.apiVersion ? { 'stripe-version': config.apiVersion } : {}),
      ...(config.stripeAccount ? { 'stripe-account': config.stripeAccount } : {}),
    },
  };
}

/**
 * Encodes parameters the way Stripe reads them: a form with bracket
 * notation for nested objects (`metadata[order]=1`) and indexed arrays
 * (`payment_method_types[0]=card`), as stripe-node does. Undefined fields
 * are left out.
 */
export function encodeForm(params: Record<string, unknown>): string {
  return qs.stringify(params, { arrayFormat: 'indices' });
}

/** Stripe accepts idempotency keys of up to 255 characters. */
const MAX_KEY = 255;

/**
 * The `Idempotency-Key` for one request of a step. The step's key is
 * stable across retries, so a retried request is answered with Stripe's
 * saved response instead of charging again. An action that sends two
 * POSTs gives each its own `suffix`, or Stripe would see one key reused
 * with other parameters. Over-long keys are hashed to fit.
 */
export function idempotencyKeyFor(stepKey: string, suffix?: string): string {
  const key = suffix ? `${stepKey}:${suffix}` : stepKey;
  return key.length <= MAX_KEY ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/** POSTs form-encoded parameters with an idempotency key; failures become Stripe-aware errors. */
export async function stripePost<T>(
  http: HttpClient,
  path: string,
  params: Record<string, unknown>,
  idempotencyKey: string,
): Promise<T> {
  try {
    const response = await http.post<T>(path, encodeForm(params), {
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': idempotencyKey },
    });
    return response.data;
  } catch (error) {
    throw fromStripeFailure(error);
  }
}

/** GETs a Stripe object; failures become Stripe-aware errors. */
export async function stripeGet<T>(http: HttpClient, path: string): Promise<T> {
  try {
    return (await http.get<T>(path)).data;
  } catch (error) {
    throw fromStripeFailure(error);
  }
}
