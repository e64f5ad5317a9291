import { isBatonError } from '../errors/baton-error';
import { HttpError, isRetryableStatus } from '../errors/http-error';
import { CredentialsInvalidError, RetryableError } from '../errors/kinds';
import { redactText } from '../errors/redact';
import { createHttpClient } from '../http/create-http-client';
import type { EgressPolicy } from '../http/egress-guard';
import { redactUrl } from '../http/redact-url';
import type { OAuth2Auth } from './types';

/** How long one token request may take; the refresh lock outlives it. */
export const TOKEN_REQUEST_TIMEOUT_MS = 10_000;

/** A token endpoint's answer, as Baton keeps it. */
export interface TokenAnswer {
  accessToken: string;
  /** From `expires_in`; undefined when the provider did not say. */
  expiresInMs?: number;
  /** A rotated refresh token, when the provider sent one. */
  refreshToken?: string;
}

export interface TokenRequest {
  /** The instance's name, for messages. */
  instance: string;
  auth: OAuth2Auth;
  /** For the refresh-token grant: the latest refresh token (rotated, or the config's). */
  refreshToken?: string | undefined;
  egress?: EgressPolicy | undefined;
  /** Secrets to keep out of messages (the client secret, refresh tokens). */
  secrets: Iterable<string>;
}

/**
 * Asks the token endpoint for an access token (RFC 6749 §4.4 and §6): a
 * form-encoded POST through the instance's egress guard, the client
 * authenticated in the body or with HTTP Basic.
 *
 * @throws CredentialsInvalidError (`details.reason`) when the endpoint refuses the
 * credentials: any 4xx but 408, 425 and 429, or an OAuth `error` in a 2xx body
 * @throws RetryableError `CREDENTIALS_REFRESH_FAILED` when it may pass later:
 * no answer, a timeout, 408, 425, 429 (with its `Retry-After`) or 5xx, an answer without a token
 */
export async function requestToken(request: TokenRequest): Promise<TokenAnswer> {
  const { auth, instance } = request;
  const form = new URLSearchParams(auth.extraParams ?? {});
  form.set('grant_type', auth.grant);
  if (auth.grant === 'refresh_token') {
    if (!request.refreshToken) {
      throw refused(instance, 'no refresh token is configured');
    }
    form.set('refresh_token', request.refreshToken);
  }
  if (auth.scope) form.set('scope', auth.scope);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (auth.clientAuthentication === 'basic' && auth.clientSecret !== undefined) {
    // RFC 6749 §2.3.1: each part form-encoded before Basic encoding.
    const pair = `${formEncode(auth.clientId)}:${formEncode(auth.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  } else {
    form.set('client_id', auth.clientId);
    if (auth.clientSecret !== undefined) form.set('client_secret', auth.clientSecret);
  }

  const http = createHttpClient({
    egress: request.egress ?? {},
    secrets: request.secrets,
    timeoutMs: TOKEN_REQUEST_TIMEOUT_MS,
  });
  const where = redactUrl(auth.tokenUrl, request.secrets);
  let data: unknown;
  try {
    ({ data } = await http.post(auth.tokenUrl, form.toString(), { headers, responseType: 'text' }));
  } catch (error) {
    throw classifyFailure(error, instance, where, request.secrets);
  }
  const body = parseBody(data);
  const oauthError = body?.error;
  if (typeof oauthError === 'string') {
    // Some providers (GitHub among them) refuse with a 200 and an OAuth error body.
    throw refused(instance, reasonOf(undefined, body, request.secrets));
  }
  const accessToken = body?.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new RetryableError(
      `The token endpoint ${where} answered connector instance "${instance}" without an access_token`,
      { code: 'CREDENTIALS_REFRESH_FAILED', details: { instance } },
    );
  }
  const answer: TokenAnswer = { accessToken };
  const expiresIn = Number(body?.expires_in);
  if (
    body?.expires_in !== undefined &&
    body.expires_in !== '' &&
    Number.isFinite(expiresIn) &&
    expiresIn > 0
  ) {
    answer.expiresInMs = Math.round(expiresIn * 1000);
  }
  if (typeof body?.refresh_token === 'string' && body.refresh_token !== '') {
    answer.refreshToken = body.refresh_token;
  }
  return answer;
}

function classifyFailure(error: unknown, instance: string, where: string, secrets: Iterable<string>): Error {
  if (error instanceof HttpError && error.status !== undefined) {
    const status = error.status;
    if (status >= 400 && status < 500 && !isRetryableStatus(status)) {
      return refused(instance, reasonOf(status, parseBody(error.response?.data), secrets), error);
    }
    return new RetryableError(
      `The token endpoint ${where} failed for connector instance "${instance}": ${status}`,
      {
        code: 'CREDENTIALS_REFRESH_FAILED',
        cause: error,
        details: { instance, status },
        ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
      },
    );
  }
  // A token URL the egress guard refuses is the config's mistake: say so, do not retry.
  if (isBatonError(error) && !error.retryable && !(error instanceof HttpError)) return error;
  const code = isBatonError(error) ? error.code : 'NETWORK_ERROR';
  return new RetryableError(
    `The token endpoint ${where} could not be reached for connector instance "${instance}": ${code}`,
    { code: 'CREDENTIALS_REFRESH_FAILED', cause: error, details: { instance } },
  );
}

function refused(instance: string, reason: string, cause?: unknown): CredentialsInvalidError {
  return new CredentialsInvalidError(
    `The token endpoint refused the credentials of connector instance "${instance}" (${reason}): ` +
      `it needs reconnecting, with new credentials in its config`,
    { details: { instance, reason }, ...(cause === undefined ? {} : { cause }) },
  );
}

/** `400 invalid_grant: Token has been revoked`, from the OAuth error body (RFC 6749 §5.2). */
function reasonOf(
  status: number | undefined,
  body: Record<string, unknown> | undefined,
  secrets: Iterable<string>,
): string {
  const code = printable(body?.error, 64);
  const description = printable(body?.error_description, 200);
  const parts = [status === undefined ? '' : String(status), code].filter(Boolean).join(' ');
  const reason = description ? `${parts || 'refused'}: ${description}` : parts || 'refused';
  return redactText(reason, secrets);
}

/** Short, single-line text from a provider, or undefined. */
function printable(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const clean = value.replace(/[^\x20-\x7e]+/g, ' ').trim();
  if (clean === '') return undefined;
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** A JSON body, or a form-encoded one (older providers), as an object. */
function parseBody(data: unknown): Record<string, unknown> | undefined {
  if (typeof data === 'object' && data !== null && !Array.isArray(data))
    return data as Record<string, unknown>;
  if (typeof data !== 'string' || data.trim() === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(data);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    if (!/^[\w.~%+-]+=/.test(data.trim())) return undefined;
    return Object.fromEntries(new URLSearchParams(data.trim()));
  }
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
