import type { CloudEvent } from '@baton/runtime';
import { batonTracer } from '@baton/sdk/host';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';

const HTTP_ROUTE = '/webhooks/:source';

/**
 * Installed only while tracing: each webhook is a SERVER span after the
 * HTTP server conventions (method, route, path, status), with the source,
 * and once known the event's type and id; a `traceparent` the sender put on
 * the request makes it the parent, so a provider that traces joins the
 * trace. The engine's `record event` span is its child.
 */
export function traceWebhook(): MiddlewareHandler {
  return async (c, next) => {
    const parent = propagation.extract(ROOT_CONTEXT, c.req.raw.headers, {
      keys: (headers) => [...headers.keys()],
      get: (headers, key) => headers.get(key) ?? undefined,
    });
    const url = new URL(c.req.url);
    const span = batonTracer('@baton/gateway').startSpan(
      `${c.req.method} ${HTTP_ROUTE}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': c.req.method,
          'http.route': HTTP_ROUTE,
          'url.path': url.pathname,
          'url.scheme': url.protocol.replace(/:$/, ''),
          'server.address': url.hostname,
          'baton.source': c.req.param('source') ?? '',
        },
      },
      parent,
    );
    try {
      await context.with(trace.setSpan(parent, span), next);
      const status = c.res.status;
      span.setAttribute('http.response.status_code', status);
      // A 4xx is the sender's mistake, not the server's: the conventions leave it unset.
      if (status >= 500) {
        span.setAttribute('error.type', String(status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
    } finally {
      span.end();
    }
  };
}

/** Names the event on the webhook's span, once its type and id are known (tracing only). */
export function noteEvent(event: Pick<CloudEvent, 'id' | 'type'>): void {
  trace.getActiveSpan()?.setAttributes({ 'baton.event.type': event.type, 'baton.event.id': event.id });
}
