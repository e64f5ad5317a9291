import { refreshTracing } from '@baton/sdk/host';
import { context, propagation, trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';

/** For tests: an SDK registered as the CLI registers one, its spans kept in memory; `stop` turns tracing off. */
export function recordRuntimeSpans() {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  refreshTracing();
  return {
    spans: (): ReadableSpan[] => exporter.getFinishedSpans(),
    async stop() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
      refreshTracing();
    },
  };
}
