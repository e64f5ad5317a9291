import { isSpanContextValid, trace } from '@opentelemetry/api';

/** The ids a log line carries to find its trace. */
export interface TraceLogFields {
  trace_id?: string;
  span_id?: string;
}

/**
 * `trace_id` and `span_id` of the span active where a line is logged, for a
 * pino `mixin`; nothing outside a span. Install it only while tracing
 * (`isTracing()`): it is then the only cost a log line pays. A new object
 * each time: pino merges the line's own fields into it.
 */
export function traceLogFields(): TraceLogFields {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
