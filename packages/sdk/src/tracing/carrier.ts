import {
  type Context,
  createTraceState,
  isSpanContextValid,
  ROOT_CONTEXT,
  type SpanContext,
  trace,
} from '@opentelemetry/api';

/**
 * A span's context as W3C Trace Context values: what a run record or a
 * queued task carries, so work done later, in another process, joins the
 * trace it belongs to without any span staying open meanwhile.
 */
export interface TraceCarrier {
  /** `00-<trace id>-<span id>-<flags>`. */
  traceparent: string;
  tracestate?: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The carrier of a span context (W3C `traceparent`, and `tracestate` when it has one). */
export function carrierOf(spanContext: SpanContext): TraceCarrier {
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  const carrier: TraceCarrier = {
    traceparent: `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`,
  };
  const state = spanContext.traceState?.serialize();
  if (state) carrier.tracestate = state;
  return carrier;
}

/** The span context a carrier holds, as a remote parent; undefined when it holds none valid. */
export function spanContextOf(carrier: TraceCarrier | undefined): SpanContext | undefined {
  const match = carrier ? TRACEPARENT.exec(carrier.traceparent) : null;
  if (!match) return undefined;
  const spanContext: SpanContext = {
    traceId: match[1]!,
    spanId: match[2]!,
    traceFlags: Number.parseInt(match[3]!, 16),
    isRemote: true,
  };
  if (carrier?.tracestate) spanContext.traceState = createTraceState(carrier.tracestate);
  return isSpanContextValid(spanContext) ? spanContext : undefined;
}

/** A context whose parent span is the carrier's (the root context when it carries none). */
export function contextOf(carrier: TraceCarrier | undefined, base: Context = ROOT_CONTEXT): Context {
  const spanContext = spanContextOf(carrier);
  return spanContext ? trace.setSpanContext(base, spanContext) : base;
}
