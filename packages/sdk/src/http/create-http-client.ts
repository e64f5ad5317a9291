import axios, { type AxiosError, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import { type BatonError, isBatonError } from '../errors/baton-error';
import { toBatonError } from '../errors/classify';
import { HttpError, type HttpErrorResponse } from '../errors/http-error';
import { NonRetryableError, TimeoutError } from '../errors/kinds';
import { retryHintOf, throttleOfAnswer } from '../limits/provider-throttle';
import type { ProviderThrottle } from '../limits/types';
import { type Logger, silentLogger } from '../logger';
import { isTracing } from '../tracing/state';
import { type BearerTokenSource, installBearer } from './bearer-auth';
import { createEgressGuard, type EgressPolicy } from './egress-guard';
import { redactUrl } from './redact-url';
import { traceRequests } from './trace-requests';

/** The HTTP client handed to actions: an axios instance. */
export type HttpClient = AxiosInstance;

/** How a connector sets up its client from its validated config. */
export interface HttpSetup {
  /** Prefix of every relative request URL. */
  baseURL?: string;
  /** Headers sent with every request (auth headers are redacted from errors). */
  headers?: Record<string, string>;
  /** HTTP Basic credentials. */
  auth?: { username: string; password: string };
  /** Query parameters sent with every request (secret-looking ones are redacted). */
  params?: Record<string, string>;
  /** Per-request timeout in milliseconds; the step timeout applies as well. @default 30000 */
  timeoutMs?: number;
}

export interface CreateHttpClientOptions extends HttpSetup {
  /** Aborts every request of this client, e.g. at the step's timeout. */
  signal?: AbortSignal;
  /** Which non-public hosts may be reached. @default no private hosts */
  egress?: EgressPolicy;
  /**
   * Secret values to scrub from errors and logs. Read again at every use,
   * so a live collection (an instance's, which grows with each new access
   * token) stays current.
   */
  secrets?: Iterable<string>;
  log?: Logger;
  /**
   * Sends `Authorization: Bearer <token>` from this source on every
   * request, renewing the token and sending the request once more on a 401.
   */
  bearer?: BearerTokenSource;
  /**
   * Told when an answer says to slow down: a 429, a 503 with `Retry-After`
   * (or rate-limit reset headers), or rate-limit headers saying the budget
   * is spent on any answer, a 2xx included. Called once per answer.
   */
  onThrottle?: (throttle: ProviderThrottle) => void;
}

type LookupCallback = (error: Error | null, address?: unknown, family?: number) => void;

interface TimedConfig extends InternalAxiosRequestConfig {
  batonStartedAt?: number;
}

/**
 * Creates the axios instance an action receives: base URL and auth from the
 * connector's setup, every failure turned into a classified `HttpError`
 * (5xx, 408, 429 retryable, `Retry-After` honoured; other 4xx not), requests
 * to non-public addresses refused unless the egress policy allows them
 * (checked on the resolved address, so DNS tricks do not pass), and no
 * cross-origin redirect followed while credentials are configured. While
 * an OpenTelemetry tracer provider is registered, each request is a CLIENT
 * span and carries `traceparent` (see trace-requests.ts).
 */
export function createHttpClient(options: CreateHttpClientOptions = {}): HttpClient {
  const guard = createEgressGuard(options.egress);
  const secrets = collectSecrets(options);
  const log = options.log ?? silentLogger;
  const hasCredentials = Boolean(options.auth || options.headers || options.params || options.bearer);
  // Answers and failures already logged and reported: a request sent again
  // after a 401 comes back through the interceptors of the first sending too.
  const seen = new WeakSet<object>();
  const reportThrottle = (status: number, headers: object) => {
    if (!options.onThrottle) return;
    const throttle = throttleOfAnswer(status, headers as Record<string, unknown>);
    if (!throttle) return;
    try {
      options.onThrottle(throttle);
    } catch (error) {
      // The host's bookkeeping must not fail the provider's answer.
      log.warn('onThrottle failed', { message: (error as Error).message });
    }
  };

  const client = axios.create({
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.params ? { params: options.params } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    timeout: options.timeoutMs ?? 30_000,
    maxRedirects: 5,
    // Node's http hands `lookup` to the socket, so the check sees the
    // address actually dialled. Callback style: axios only adapts functions
    // declared `async`.
    lookup: (hostname: string, opts: { all?: boolean }, callback: LookupCallback) => {
      guard.lookup(hostname, opts).then((addresses) => {
        const first = addresses[0];
        if (opts.all) callback(null, addresses);
        else if (first) callback(null, first.address, first.family);
        else callback(Object.assign(new Error(`No address for ${hostname}`), { code: 'ENOTFOUND' }));
      }, callback);
    },
    beforeRedirect: (redirect: Record<string, unknown>) => {
      const target = String(redirect.hostname ?? '');
      guard.checkHost(target);
      const fromOrigin = originOf(options.baseURL);
      const toOrigin = `${String(redirect.protocol)}//${String(redirect.host ?? target)}`;
      if (hasCredentials && fromOrigin && fromOrigin !== toOrigin.replace(/:(80|443)$/, '')) {
        throw new NonRetryableError(
          `Refused a cross-origin redirect to ${toOrigin} while credentials are set`,
          {
            code: 'REDIRECT_BLOCKED',
          },
        );
      }
    },
  } as Parameters<typeof axios.create>[0]);

  // First of all: see traceRequests for why. Nothing at all is installed while tracing is off.
  if (isTracing()) traceRequests(client, secrets);
  if (options.bearer) {
    // First: its request hook then runs after the egress check below, and its
    // 401 hook sees the raw failure before it is classified.
    installBearer(client, options.bearer, {
      context: { log },
      describe: (config) =>
        `${(config.method ?? 'get').toUpperCase()} ${redactUrl(client.getUri(config), secrets)}`,
      convert: (error) => fromAxiosError(error, client, secrets, options.signal),
    });
  }

  client.interceptors.request.use((config: TimedConfig) => {
    const url = new URL(client.getUri(config));
    guard.checkHost(url.hostname);
    config.batonStartedAt = Date.now();
    return config;
  });

  client.interceptors.response.use(
    (response) => {
      if (seen.has(response)) return response;
      seen.add(response);
      reportThrottle(response.status, response.headers);
      const config = response.config as TimedConfig;
      log.debug('http request', {
        method: (config.method ?? 'get').toUpperCase(),
        url: redactUrl(client.getUri(config), secrets),
        status: response.status,
        ms: Date.now() - (config.batonStartedAt ?? Date.now()),
      });
      return response;
    },
    (error: unknown) => {
      const converted = fromAxiosError(error, client, secrets, options.signal);
      if (seen.has(converted)) return Promise.reject(converted);
      seen.add(converted);
      const response = (converted as { response?: HttpErrorResponse }).response;
      if (response) reportThrottle(response.status, response.headers);
      log.debug('http request failed', { code: converted.code, message: converted.message });
      return Promise.reject(converted);
    },
  );

  return client;
}

function findBatonCause(error: unknown): BatonError | undefined {
  let current = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    if (isBatonError(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** The client's secrets: those of its own setup, then the caller's, read live at each use. */
function collectSecrets(options: CreateHttpClientOptions): Iterable<string> {
  const own = setupSecrets(options);
  const given = options.secrets;
  if (!given) return own;
  return {
    *[Symbol.iterator]() {
      yield* own;
      yield* given;
    },
  };
}

function setupSecrets(options: CreateHttpClientOptions): string[] {
  const secrets = new Set<string>();
  if (options.auth) {
    secrets.add(options.auth.password);
    secrets.add(Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64'));
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (/^(authorization|x-api-key|api-key|cookie)$/i.test(name)) {
      secrets.add(value);
      const token = value.split(' ')[1];
      if (token) secrets.add(token);
    }
  }
  return [...secrets].filter((s) => s.length >= 4);
}

/** Converts an axios failure into a classified, secret-free Baton error. */
export function fromAxiosError(
  error: unknown,
  client: AxiosInstance | undefined,
  secrets: Iterable<string>,
  signal?: AbortSignal,
): BatonError {
  // Our own hooks (egress check, redirect policy) throw Baton errors that
  // axios and follow-redirects wrap; unwrap them.
  const ours = findBatonCause(error);
  if (ours) return ours;
  if (!axios.isAxiosError(error) && !axios.isCancel(error)) return toBatonError(error);
  const axiosError = error as AxiosError;
  const config = axiosError.config;
  const method = (config?.method ?? 'get').toUpperCase();
  const url = redactUrl(config ? (client?.getUri(config) ?? String(config.url)) : 'unknown', secrets);

  if (axios.isCancel(error) || axiosError.code === 'ERR_CANCELED') {
    if (signal?.aborted) return new TimeoutError(`${method} ${url} aborted: the step timed out`);
    return new TimeoutError(`${method} ${url} was cancelled`);
  }
  if (axiosError.code === 'ECONNABORTED' || axiosError.code === 'ETIMEDOUT') {
    return new TimeoutError(`${method} ${url} timed out`, { details: { method, url } });
  }
  const response = axiosError.response;
  if (!response) {
    const code = axiosError.code ?? 'NETWORK_ERROR';
    return new HttpError(`${method} ${url} failed: ${code}`, { method, url, details: { errno: code } });
  }
  const headers = Object.fromEntries(
    Object.entries(response.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
  const status = response.status;
  // A 429 without Retry-After still says when to come back through its rate-limit reset headers.
  const retryAfterMs = retryHintOf(status, headers)?.pauseMs;
  return new HttpError(`${method} ${url} failed: ${status} ${response.statusText ?? ''}`.trim(), {
    method,
    url,
    status,
    ...(status === 429 ? { code: 'RATE_LIMITED' } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    response: { status, headers, data: response.data },
  });
}
