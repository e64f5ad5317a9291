import {
  type Attributes,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapSetter,
  trace,
} from '@opentelemetry/api';
import axios, { type AxiosHeaders, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import { batonTracer } from '../tracing/state';
import { redactUrl } from './redact-url';

interface TracedConfig extends InternalAxiosRequestConfig {
  /** The span of this sending of the request; a request sent again after a 401 gets a new one. */
  batonSpan?: Span | undefined;
}

const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
]);

const headerSetter: TextMapSetter<AxiosHeaders> = {
  set: (headers, key, value) => {
    headers.set(key, value);
  },
};

/**
 * A CLIENT span for each request `client` sends, after the HTTP client
 * semantic conventions (method, `url.full` with secret-looking query values
 * and known secrets redacted, server address and port, status code,
 * `error.type`), and the span's context in the request's headers
 * (`traceparent`, by the registered propagator) so the provider can join
 * the trace. Install first, before every other interceptor: axios runs
 * request hooks last-installed first, so this one sees the request as it
 * leaves (auth set), and response hooks in order, so it ends a 401's span
 * before the bearer hook sends the request again under a span of its own.
 */
export function traceRequests(client: AxiosInstance, secrets: Iterable<string>): void {
  client.interceptors.request.use((config: TracedConfig) => {
    const method = (config.method ?? 'get').toUpperCase();
    const span = batonTracer('@baton/sdk').startSpan(KNOWN_METHODS.has(method) ? method : 'HTTP', {
      kind: SpanKind.CLIENT,
      attributes: requestAttributes(method, client.getUri(config), secrets),
    });
    config.batonSpan = span;
    propagation.inject(trace.setSpan(context.active(), span), config.headers, headerSetter);
    return config;
  });
  client.interceptors.response.use(
    (response) => {
      endSpan(response.config as TracedConfig, response.status);
      return response;
    },
    (error: unknown) => {
      if (axios.isAxiosError(error) && error.config) {
        endSpan(error.config as TracedConfig, error.response?.status, error.code ?? error.name);
      }
      return Promise.reject(error);
    },
  );
}

function requestAttributes(method: string, url: string, secrets: Iterable<string>): Attributes {
  const attributes: Attributes = {
    'http.request.method': KNOWN_METHODS.has(method) ? method : '_OTHER',
    'url.full': redactUrl(url, secrets),
  };
  if (!KNOWN_METHODS.has(method)) attributes['http.request.method_original'] = method;
  try {
    const parsed = new URL(url);
    attributes['server.address'] = parsed.hostname;
    attributes['server.port'] = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
  } catch {
    // A URL axios cannot resolve fails the request itself; the span says so.
  }
  return attributes;
}

/** Ends the span of this sending once: an answer's status, or what failed before there was one. */
function endSpan(config: TracedConfig, status: number | undefined, failure?: string): void {
  const span = config.batonSpan;
  if (!span) return;
  config.batonSpan = undefined;
  if (status !== undefined) span.setAttribute('http.response.status_code', status);
  const errorType = status !== undefined && status >= 400 ? String(status) : status ? undefined : failure;
  if (errorType) {
    span.setAttribute('error.type', errorType);
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}
