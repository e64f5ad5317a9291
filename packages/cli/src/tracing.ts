import { redactUrl, refreshTracing } from '@baton/sdk/host';
import { type CliIo, say, warn } from './io';
import { version } from './version';

/** How long the last spans get to reach the collector at shutdown, so a dead collector cannot hold a drain. */
const FLUSH_MS = 5000;

let running: { shutdown(): Promise<void> } | undefined;

/**
 * Whether OpenTelemetry's standard variables ask for spans: an OTLP
 * endpoint is set (`OTEL_EXPORTER_OTLP_ENDPOINT`, or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), and neither `OTEL_SDK_DISABLED=true`
 * nor `OTEL_TRACES_EXPORTER=none` turns them off.
 */
export function tracingWanted(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  if (env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT);
}

/**
 * Starts the OpenTelemetry SDK when the variables ask for it (see
 * {@link tracingWanted}): a tracer provider that batches spans to an
 * OTLP/HTTP (JSON) exporter, registered globally with the W3C propagator,
 * under `OTEL_SERVICE_NAME` or `service` (`baton-gateway`, `baton-worker`).
 * The exporter, sampler and batching read their other `OTEL_*` variables
 * themselves. Loaded with a dynamic import: a process without tracing never
 * loads the SDK. Call before the hub's engine and loggers are made;
 * `announce` tells where the spans go (stdout by default).
 */
export async function startTracing(
  io: CliIo,
  service: string,
  announce: (line: string) => void = (line) => say(io, line),
): Promise<void> {
  if (running || !tracingWanted(io.env)) return;
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, resources, api] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/api'),
    ]);
  const level = io.env.OTEL_LOG_LEVEL?.trim().toUpperCase() as keyof typeof api.DiagLogLevel | undefined;
  // The SDK reports export failures (a collector that is down) through its diagnostics logger.
  api.diag.setLogger(new api.DiagConsoleLogger(), api.DiagLogLevel[level ?? 'WARN'] ?? api.DiagLogLevel.WARN);
  const resource = resources
    .defaultResource()
    .merge(resources.resourceFromAttributes({ 'service.name': service, 'service.version': version }))
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the defaults above.
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  refreshTracing();
  running = provider;
  const endpoint = io.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? io.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const protocol = io.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? io.env.OTEL_EXPORTER_OTLP_PROTOCOL;
  if (protocol && protocol.trim() !== 'http/json') {
    // A collector's OTLP/HTTP port takes JSON as well as protobuf; a gRPC port (4317) takes neither.
    warn(
      io,
      `warning: OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported: spans are sent as http/json`,
    );
  }
  announce(
    `Tracing: spans of ${resource.attributes['service.name']} go to ${redactUrl(endpoint ?? '')} (OTLP/HTTP)`,
  );
}

/** Sends the spans still batched and stops the SDK; at most FLUSH_MS. Does nothing when tracing is off. */
export async function stopTracing(): Promise<void> {
  const provider = running;
  if (!provider) return;
  running = undefined;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    provider.shutdown().catch(() => undefined),
    new Promise<void>((done) => {
      timer = setTimeout(done, FLUSH_MS);
    }),
  ]);
  clearTimeout(timer);
}
