import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { refreshTracing } from './state';

/**
 * For tests: a tracer provider registered as `baton serve` registers one
 * (context manager and W3C propagator included) whose spans are kept in
 * memory; `stop` unregisters it, and tracing is off again.
 */
export function recordSpans() {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  refreshTracing();
  return {
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    async stop() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
      refreshTracing();
    },
  };
}
