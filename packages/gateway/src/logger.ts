import { isTracing, redactText, redactValue, traceLogFields } from '@baton/sdk/host';
import pino, { type DestinationStream, type Logger } from 'pino';

export interface GatewayLoggerOptions {
  /** @default 'info' (BATON_LOG_LEVEL) */
  level?: string;
  /** Secret values to keep out of every line. */
  secrets?: readonly string[];
  /** @default stdout */
  destination?: DestinationStream;
}

/**
 * Structured JSON logs with pino. Authorization headers and signatures are
 * removed by path, and every known secret value is replaced wherever it
 * appears, in messages and fields alike. While tracing (a tracer provider
 * registered before the logger is made), lines logged within a span carry
 * its `trace_id` and `span_id`.
 */
export function createGatewayLogger(options: GatewayLoggerOptions = {}): Logger {
  const secrets = [...(options.secrets ?? [])];
  return pino(
    {
      level: options.level ?? process.env.BATON_LOG_LEVEL ?? 'info',
      base: { service: 'baton' },
      // While tracing, each line carries the trace_id and span_id of the span it was logged in.
      ...(isTracing() ? { mixin: traceLogFields } : {}),
      redact: {
        paths: [
          'headers.authorization',
          'headers.cookie',
          'req.headers.authorization',
          '*.apiKey',
          '*.secret',
          '*.token',
        ],
        censor: '[redacted]',
      },
      // The formatter below has serialized errors already; only an Error in bindings is left.
      serializers: { err: (value) => (value instanceof Error ? pino.stdSerializers.err(value) : value) },
      formatters: {
        log: (object) => {
          const serialized = serializeErrors(object);
          return secrets.length ? (redactValue(serialized, secrets) as Record<string, unknown>) : serialized;
        },
      },
      hooks: secrets.length
        ? {
            logMethod(args, method) {
              const scrubbed = args.map((arg) => (typeof arg === 'string' ? redactText(arg, secrets) : arg));
              return method.apply(this, scrubbed as Parameters<typeof method>);
            },
          }
        : {},
    },
    options.destination,
  );
}

/**
 * Top-level errors as pino's error serializer writes them (type, message,
 * stack, cause). The log formatter runs before pino's serializers, and an
 * Error keeps its message and stack in properties that copying skips, so
 * without this a redacted line said `"err":{}`. Also catches errors from
 * another realm (the sandbox) and under keys other than `err`.
 */
function serializeErrors(object: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (!isErrorLike(value)) continue;
    out ??= { ...object };
    out[key] = pino.stdSerializers.err(value);
  }
  return out ?? object;
}

function isErrorLike(value: unknown): value is Error {
  if (value instanceof Error) return true;
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as { message?: unknown; stack?: unknown };
  return typeof candidate.message === 'string' && typeof candidate.stack === 'string';
}
