import { type ProxyTracerProvider, type Tracer, trace } from '@opentelemetry/api';

let known: boolean | undefined;
const tracers = new Map<string, Tracer>();

/**
 * Whether an OpenTelemetry SDK registered a tracer provider in this process
 * (`baton serve` and `baton worker` do when `OTEL_EXPORTER_OTLP_ENDPOINT` is
 * set). Hot paths ask this before building any span, attribute or header,
 * so tracing off costs one boolean read. Read once and remembered: call
 * {@link refreshTracing} after registering or removing a provider.
 */
export function isTracing(): boolean {
  known ??= detect();
  return known;
}

/** Looks again for a registered tracer provider (after one was registered or removed). */
export function refreshTracing(): boolean {
  known = detect();
  tracers.clear();
  return known;
}

/**
 * The tracer of a Baton package (`@baton/runtime` …), made once per
 * registered provider rather than looked up for every span.
 */
export function batonTracer(name: string): Tracer {
  let tracer = tracers.get(name);
  if (!tracer) {
    tracer = trace.getTracer(name);
    tracers.set(name, tracer);
  }
  return tracer;
}

function detect(): boolean {
  const provider = trace.getTracerProvider() as Partial<ProxyTracerProvider>;
  // The API's proxy has a delegate's tracer only once an SDK registered a provider.
  if (typeof provider.getDelegateTracer !== 'function') return true;
  return provider.getDelegateTracer('@baton/sdk') !== undefined;
}
