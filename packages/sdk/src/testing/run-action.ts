import { randomUUID } from 'node:crypto';
import type { EgressPolicy } from '../http/egress-guard';
import { createConnectorInstance } from '../instance';
import type { Logger, LogRecord } from '../logger';
import type { Connector } from '../types';

export interface RunActionOptions {
  /** The instance config, before validation (as in `baton.config.json`). */
  config: unknown;
  /** The step input, before validation. */
  input: unknown;
  /** @default a new UUID */
  idempotencyKey?: string;
  /** Aborts the call after this many milliseconds. @default 10000 */
  timeoutMs?: number;
  /** @default loopback allowed, so a local test server can be reached */
  egress?: EgressPolicy;
  /** Extra secret values to keep out of logs and errors. */
  secrets?: string[];
}

export interface RunActionResult<TOutput = unknown> {
  output: TOutput;
  /** Everything the action logged, already redacted. */
  logs: LogRecord[];
}

/** A logger that keeps what it receives, for assertions. */
export function createCapturingLogger(): Logger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  const push = (level: LogRecord['level']) => (message: string, fields?: Record<string, unknown>) => {
    records.push(fields === undefined ? { level, message } : { level, message, fields });
  };
  return { records, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

/**
 * Runs one action the way the runtime does, with a real typed context:
 * config, input and output validated, the HTTP client set up from the
 * config, errors classified and scrubbed of secrets. Rejects with the
 * classified `BatonError`; logs are on the error as `logs` too.
 */
export async function runAction<TOutput = unknown>(
  connector: Connector,
  action: string,
  options: RunActionOptions,
): Promise<RunActionResult<TOutput>> {
  const instance = createConnectorInstance(connector, options.config, {
    egress: options.egress ?? { allow: ['loopback', 'localhost'] },
    ...(options.secrets ? { secrets: options.secrets } : {}),
  });
  const log = createCapturingLogger();
  const signal = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  try {
    const output = (await instance.invoke(action, {
      input: options.input,
      idempotencyKey: options.idempotencyKey ?? randomUUID(),
      signal,
      log,
      run: { id: 'test-run', flow: 'test-flow', step: action, attempt: 1 },
    })) as TOutput;
    return { output, logs: log.records };
  } catch (error) {
    Object.defineProperty(error, 'logs', { value: log.records, enumerable: false, configurable: true });
    throw error;
  }
}
