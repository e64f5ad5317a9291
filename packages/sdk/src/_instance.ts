import type { CallAbort } from './call-abort';
import { isBatonError } from './errors/baton-error';
import { TimeoutError } from './errors/kinds';
import { redactText, redactValue } from './errors/redact';
import type { HttpClient, HttpSetup } from './http/create-http-client';

/**
 * The helpers of `createConnectorInstance` (instance.ts): how a call's
 * client, abort and errors are handled, and the instance's live secrets.
 */

/** New tokens an instance keeps redacting besides its config's secrets: the latest ones are the ones in use. */
const MAX_LIVE_SECRETS = 16;

/**
 * The secrets of an instance: its config's, then the tokens it receives,
 * in one array that grows in place, so every logger and client holding it
 * redacts a token from the moment it arrives.
 */
export function liveSecrets(initial: Iterable<string>): { list: string[]; add(secret: string): void } {
  const list = [...new Set(initial)].filter((s) => s.length >= 4);
  const fixed = list.length;
  return {
    list,
    add(secret) {
      if (secret.length < 4 || list.includes(secret)) return;
      list.push(secret);
      if (list.length - fixed > MAX_LIVE_SECRETS) list.splice(fixed, 1);
    },
  };
}

/**
 * The client, built on first use: many actions make no HTTP call, and an
 * axios instance per call would be the most expensive part of invoking
 * them. A proxy, because actions destructure `http` up front.
 */
export function lazyClient(create: () => HttpClient): HttpClient {
  let client: HttpClient | undefined;
  const get = () => {
    client ??= create();
    return client;
  };
  return new Proxy(function lazyHttp() {} as unknown as HttpClient, {
    get: (_target, property) => Reflect.get(get(), property),
    apply: (_target, _this, args: unknown[]) => Reflect.apply(get() as unknown as Function, undefined, args),
    has: (_target, property) => Reflect.has(get(), property),
  });
}

export function defaultSetup(config: unknown): HttpSetup {
  const baseUrl = (config as { baseUrl?: unknown } | null)?.baseUrl;
  return typeof baseUrl === 'string' ? { baseURL: baseUrl } : {};
}

/** Ends the wait when the call is aborted, even if the action ignores it. */
export function raceAbort<T>(promise: Promise<T>, abort: CallAbort, label: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const off = abort.onAbort((reason) => {
      reject(isBatonError(reason) ? reason : new TimeoutError(`${label} timed out`));
    });
    promise.then(
      (value) => {
        off();
        resolve(value);
      },
      (error: unknown) => {
        off();
        reject(error);
      },
    );
  });
}

/**
 * Strips secrets from an error's message, details and stack, and from its
 * causes', in place: a host serializes the causes too, and its own list of
 * secrets may predate the instance's latest access token.
 */
export function scrubError<T extends Error>(error: T, secrets: readonly string[], depth = 0): T {
  if (secrets.length === 0) return error;
  const cause: unknown = error.cause;
  if (cause instanceof Error && cause !== error && depth < 3) scrubError(cause, secrets, depth + 1);
  const message = redactText(error.message, secrets);
  if (message !== error.message) {
    Object.defineProperty(error, 'message', { value: message, configurable: true, writable: true });
  }
  const details = (error as { details?: unknown }).details;
  if (details) {
    Object.defineProperty(error, 'details', {
      value: redactValue(details, secrets),
      configurable: true,
      writable: true,
    });
  }
  if (error.stack) {
    Object.defineProperty(error, 'stack', {
      value: redactText(error.stack, secrets),
      configurable: true,
      writable: true,
    });
  }
  return error;
}
