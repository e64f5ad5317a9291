import { context, ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { recordSpans } from './_test-spans';
import { carrierOf, contextOf, spanContextOf } from './carrier';
import { traceLogFields } from './log-fields';
import { isTracing } from './state';

let recording: ReturnType<typeof recordSpans> | undefined;
afterEach(async () => {
  await recording?.stop();
  recording = undefined;
});

describe('tracing helpers', () => {
  it('is off until a provider is registered, and off again once it is removed', async () => {
    expect(isTracing()).toBe(false);
    recording = recordSpans();
    expect(isTracing()).toBe(true);
    await recording.stop();
    recording = undefined;
    expect(isTracing()).toBe(false);
  });

  it('carries a span context through traceparent and tracestate, and back', () => {
    const spanContext = {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
    };
    const carrier = carrierOf(spanContext);
    expect(carrier).toEqual({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
    expect(spanContextOf(carrier)).toEqual({ ...spanContext, isRemote: true });
    const withState = spanContextOf({ ...carrier, tracestate: 'vendor=abc,other=1' });
    expect(withState?.traceState?.get('vendor')).toBe('abc');
    expect(carrierOf(withState!).tracestate).toBe('vendor=abc,other=1');
  });

  it('refuses malformed or all-zero trace parents', () => {
    expect(spanContextOf(undefined)).toBeUndefined();
    expect(spanContextOf({ traceparent: 'nope' })).toBeUndefined();
    expect(
      spanContextOf({ traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' }),
    ).toBeUndefined();
    expect(contextOf({ traceparent: 'nope' })).toBe(ROOT_CONTEXT);
  });

  it('gives log lines the ids of the active span, and nothing outside one', () => {
    recording = recordSpans();
    expect(traceLogFields()).toEqual({});
    const span = trace.getTracer('test').startSpan('work');
    const fields = context.with(trace.setSpan(context.active(), span), traceLogFields);
    span.end();
    expect(fields).toEqual({ trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId });
  });
});
