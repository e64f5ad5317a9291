import { redactText, redactValue } from '@baton/sdk';
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
 * appears, in messages and fields alike.
 */
export function createGatewayLogger(options: GatewayLoggerOptions = {}): Logger {
  const secrets = [...(options.secrets ?? [])];
  return pino(
    {
      level: options.level ?? process.env.BATON_LOG_LEVEL ?? 'info',
      base: { service: 'baton' },
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
      formatters: secrets.length
        ? { log: (object) => redactValue(object, secrets) as Record<string, unknown> }
        : {},
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
