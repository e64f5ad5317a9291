import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../testing/test-server';
import { recordSpans } from '../tracing/_test-spans';
import { createHttpClient } from './create-http-client';

const loopback = { allow: ['loopback'] };
const servers: TestServer[] = [];
let recording: ReturnType<typeof recordSpans> | undefined;
afterEach(async () => {
  await recording?.stop();
  recording = undefined;
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(...args: Parameters<typeof createTestServer>) {
  const s = await createTestServer(...args);
  servers.push(s);
  return s;
}

/** Runs `work` under a parent span, as a step attempt does; answers the parent's context. */
async function underParent(work: () => Promise<unknown>) {
  const parent = trace.getTracer('test').startSpan('attempt');
  await context.with(trace.setSpan(context.active(), parent), work).catch(() => undefined);
  parent.end();
  return parent.spanContext();
}

describe('the HTTP client while tracing', () => {
  it('makes a CLIENT span per request, child of the active span, and sends its traceparent', async () => {
    recording = recordSpans();
    const s = await server(() => ({ json: { ok: true } }));
    const http = createHttpClient({ baseURL: s.url, egress: loopback });
    const parent = await underParent(() => http.get('/items', { params: { page: 2, api_key: 'sk_live_x' } }));

    const [span] = recording.spans().filter((each) => each.kind === SpanKind.CLIENT);
    expect(span).toBeDefined();
    expect(span!.name).toBe('GET');
    expect(span!.parentSpanContext?.spanId).toBe(parent.spanId);
    expect(span!.spanContext().traceId).toBe(parent.traceId);
    const port = Number(new URL(s.url).port);
    expect(span!.attributes).toEqual({
      'http.request.method': 'GET',
      'url.full': `${s.url}/items?page=2&api_key=%5Bredacted%5D`,
      'server.address': '127.0.0.1',
      'server.port': port,
      'http.response.status_code': 200,
    });
    expect(s.requests[0]?.headers.traceparent).toBe(`00-${parent.traceId}-${span!.spanContext().spanId}-01`);
  });

  it('marks an error status and a failure before any answer as errors', async () => {
    recording = recordSpans();
    const s = await server(() => ({ status: 503, json: {} }));
    const http = createHttpClient({ baseURL: s.url, egress: loopback });
    await underParent(() => http.post('/charge', { amount: 1 }));
    const closed = await server();
    const url = closed.url;
    await closed.close();
    await underParent(() => createHttpClient({ baseURL: url, egress: loopback }).get('/'));

    const client = recording.spans().filter((each) => each.kind === SpanKind.CLIENT);
    expect(client.map((each) => [each.name, each.attributes['error.type'], each.status.code])).toEqual([
      ['POST', '503', SpanStatusCode.ERROR],
      ['GET', 'ECONNREFUSED', SpanStatusCode.ERROR],
    ]);
    expect(client[0]!.attributes['http.response.status_code']).toBe(503);
    expect(client[1]!.attributes['http.response.status_code']).toBeUndefined();
  });

  it('sends no traceparent and records nothing while tracing is off', async () => {
    const s = await server(() => ({ json: {} }));
    await createHttpClient({ baseURL: s.url, egress: loopback }).get('/');
    expect(s.requests[0]?.headers.traceparent).toBeUndefined();
  });
});
