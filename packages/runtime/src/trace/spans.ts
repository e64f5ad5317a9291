import { batonTracer, contextOf, type SerializedError, serializeError } from '@baton/sdk/host';
import { type Context, context, type Span, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { Backend } from '../backend/types';
import type { RunRecord } from '../model/run-record';

/**
 * The runtime's spans. Every function here is called only while tracing is
 * on (`isTracing()` from `@baton/sdk/host`, checked by the caller), so
 * tracing off costs the engine one boolean read where a span would start.
 */
export function runtimeTracer(): Tracer {
  return batonTracer('@baton/runtime');
}

/**
 * The context work on `run` is parented on: the active span's when there is
 * one (the queue task being handled), else the run's own trace context, so
 * work started from anywhere (a decision through the API, a failed task's
 * clean-up) still joins the run's trace.
 */
export function parentOf(run: Pick<RunRecord, 'trace'>): Context {
  const active = context.active();
  return trace.getSpan(active) ? active : contextOf(run.trace, active);
}

/** Marks a span failed with the error as the run record has it: code and scrubbed message, no body. */
export function recordFailure(span: Span, error: SerializedError): void {
  span.setAttribute('error.type', error.code);
  span.recordException({ name: error.name, message: error.message, code: error.code });
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.code });
}

/** Marks a span failed by something thrown (the backend unreachable, a bug), secrets scrubbed. */
export function recordThrown(span: Span, error: unknown, secrets: readonly string[] = []): void {
  recordFailure(span, serializeError(error, { secrets }));
}

/** The queue as the messaging conventions name it. */
export function messagingAttributes(backend: Pick<Backend, 'name'>) {
  return {
    'messaging.system': backend.name === 'redis' ? 'bullmq' : 'baton-embedded',
    'messaging.destination.name': 'tasks',
  } as const;
}

/** Runs `work` inside `span` (made active), ends it, and marks it failed when `work` throws. */
export async function within<T>(
  span: Span,
  work: () => Promise<T>,
  secrets: readonly string[] = [],
): Promise<T> {
  try {
    return await context.with(trace.setSpan(context.active(), span), work);
  } catch (error) {
    recordThrown(span, error, secrets);
    throw error;
  } finally {
    span.end();
  }
}
