import { refreshTracing } from '@baton/sdk/host';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGatewayLogger } from '../logger';
import { gatewayFixture } from '../test-support/gateway-fixture';
import { orderBody, signers } from '../test-support/signers';

const UPSTREAM = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };

describe('webhooks while tracing', () => {
  let exporter: InMemorySpanExporter;
  let provider: NodeTracerProvider;
  let gw: Awaited<ReturnType<typeof gatewayFixture>>;
  beforeEach(async () => {
    // As `baton serve` does: the SDK registered before the gateway is made.
    exporter = new InMemorySpanExporter();
    provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider.register();
    refreshTracing();
    gw = await gatewayFixture();
  });
  afterEach(async () => {
    await gw.close();
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
    refreshTracing();
  });

  it('makes each webhook a SERVER span, joined to the sender’s traceparent, with the record under it', async () => {
    const body = orderBody();
    const headers = {
      ...signers.standard(body, { id: 'msg_traced_1' }),
      traceparent: `00-${UPSTREAM.traceId}-${UPSTREAM.spanId}-01`,
    };
    const res = await gw.app.request('/webhooks/shop', { method: 'POST', headers, body });
    expect(res.status).toBe(202);

    const spans = exporter.getFinishedSpans();
    const webhook = spans.find((span) => span.kind === SpanKind.SERVER)!;
    expect(webhook.name).toBe('POST /webhooks/:source');
    expect(webhook.spanContext().traceId).toBe(UPSTREAM.traceId);
    expect(webhook.parentSpanContext?.spanId).toBe(UPSTREAM.spanId);
    expect(webhook.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/webhooks/:source',
      'url.path': '/webhooks/shop',
      'http.response.status_code': 202,
      'baton.source': 'shop',
      'baton.event.type': 'order.created',
      'baton.event.id': 'msg_traced_1',
    });
    const record = spans.find((span) => span.name === 'record event')!;
    expect(record.parentSpanContext?.spanId).toBe(webhook.spanContext().spanId);
  });

  it('starts a trace of its own for a malformed, oversized or all-zero traceparent, and still records the webhook', async () => {
    const hostile: Record<string, string>[] = [
      { traceparent: 'not-a-trace-context' },
      { traceparent: `00-${'f'.repeat(8000)}-${UPSTREAM.spanId}-01` },
      { traceparent: `00-${'0'.repeat(32)}-${'0'.repeat(16)}-01` },
      { traceparent: `zz-${UPSTREAM.traceId}-${UPSTREAM.spanId}-01` },
      { traceparent: `00-${UPSTREAM.traceId}-${UPSTREAM.spanId}-01`, tracestate: `k=${'v'.repeat(8000)}` },
    ];
    for (const [i, extra] of hostile.entries()) {
      exporter.reset();
      const body = orderBody();
      const headers = { ...signers.standard(body, { id: `msg_hostile_trace_${i}` }), ...extra };
      const res = await gw.app.request('/webhooks/shop', { method: 'POST', headers, body });
      expect(res.status, JSON.stringify(extra).slice(0, 80)).toBe(202);
      const webhook = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.SERVER)!;
      const { traceId } = webhook.spanContext();
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(traceId).not.toBe('0'.repeat(32));
      if (!extra.tracestate) {
        // Nothing of a context that is not one joins the trace.
        expect(traceId).not.toBe(UPSTREAM.traceId);
        expect(webhook.parentSpanContext).toBeUndefined();
      }
      const { runs } = (await res.json()) as { runs: Array<{ runId: string }> };
      const run = await gw.engine.getRun(runs[0]!.runId);
      expect(run?.trace?.traceparent.split('-')[1]).toBe(traceId);
      expect(JSON.stringify(run?.trace ?? {}).length).toBeLessThan(1024);
    }
  });

  it('answers a refused signature with a 401 that is not a server error', async () => {
    const body = orderBody();
    const headers = { ...signers.standard(body), 'webhook-signature': 'v1,bm9wZQ==' };
    const res = await gw.app.request('/webhooks/shop', { method: 'POST', headers, body });
    expect(res.status).toBe(401);
    const [webhook] = exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER);
    expect(webhook!.attributes['http.response.status_code']).toBe(401);
    expect(webhook!.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('gives log lines written within a span its trace_id and span_id', () => {
    const lines: Record<string, unknown>[] = [];
    const log = createGatewayLogger({
      destination: { write: (line: string) => lines.push(JSON.parse(line)) },
    });
    // Fields of the line itself, outside any span (pino merges them into what the mixin answers).
    log.info({ redis: '7.2' }, 'outside');
    const span = trace.getTracer('test').startSpan('work');
    context.with(trace.setSpan(context.active(), span), () => log.child({ role: 'worker' }).info('inside'));
    span.end();
    expect(lines[0]).toMatchObject({ msg: 'outside', redis: '7.2' });
    expect(lines[0]).not.toHaveProperty('trace_id');
    expect(lines[1]).toMatchObject({
      msg: 'inside',
      trace_id: span.spanContext().traceId,
      span_id: span.spanContext().spanId,
    });
  });
});
