import { randomUUID } from 'node:crypto';
import { memoryCredentialStore } from '../auth/memory-credential-store';
import type { CredentialStore } from '../auth/types';
import type { EgressPolicy } from '../http/egress-guard';
import { type ConnectorInstance, createConnectorInstance } from '../instance';
import type { ProviderThrottle } from '../limits/types';
import type { Logger, LogRecord } from '../logger';
import type { Connector } from '../types';

/** What `runAction` and `runCheck` share: how the instance is bound. */
export interface TestInstanceOptions {
  /** The instance config, before validation (as in `baton.config.json`). */
  config: unknown;
  /** Aborts the call after this many milliseconds. @default 10000 */
  timeoutMs?: number;
  /** @default loopback allowed, so a local test server can be reached */
  egress?: EgressPolicy;
  /** Extra secret values to keep out of logs and errors. */
  secrets?: string[];
  /**
   * Where an OAuth2 instance keeps its tokens. Pass one store to several
   * calls to share a token between them, as a hub's workers do.
   * @default a new `memoryCredentialStore()` per call: every call fetches its own token
   */
  credentials?: CredentialStore;
  /** The instance's name, its key in `credentials`. @default the connector's name */
  name?: string;
}

export interface RunActionOptions extends TestInstanceOptions {
  /** The step input, before validation. */
  input: unknown;
  /** @default a new UUID */
  idempotencyKey?: string;
}

export interface RunActionResult<TOutput = unknown> {
  output: TOutput;
  /** Everything the action logged, already redacted. */
  logs: LogRecord[];
  /** What the provider's answers said about its limits (429, `Retry-After`, spent rate-limit headers). */
  throttles: ProviderThrottle[];
}

export interface RunCheckResult {
  /** Everything the check logged, already redacted. */
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
 * config (with the OAuth2 token of a connector with `auth`, fetched from
 * its token endpoint), errors classified and scrubbed of secrets. Rejects
 * with the classified `BatonError`; logs and throttles are on the error as
 * `logs` and `throttles` too.
 */
export async function runAction<TOutput = unknown>(
  connector: Connector,
  action: string,
  options: RunActionOptions,
): Promise<RunActionResult<TOutput>> {
  const instance = testInstance(connector, options);
  const log = createCapturingLogger();
  const throttles: ProviderThrottle[] = [];
  const signal = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  try {
    const output = (await instance.invoke(action, {
      input: options.input,
      idempotencyKey: options.idempotencyKey ?? randomUUID(),
      signal,
      log,
      run: { id: 'test-run', flow: 'test-flow', step: action, attempt: 1 },
      onThrottle: (throttle) => throttles.push(throttle),
    })) as TOutput;
    return { output, logs: log.records, throttles };
  } catch (error) {
    attach(error, { logs: log.records, throttles });
    throw error;
  }
}

/**
 * Runs the connector's `check` the way `baton validate --online` and the
 * health API do: with the authed client, errors classified and scrubbed.
 * Without a `check`, an OAuth2 connector's check is fetching a token, and
 * any other connector's passes. Rejects with the classified error (`logs`
 * attached).
 *
 * @example
 * ```ts
 * await using server = await createTestServer(() => ({ status: 401, json: {} }));
 * await expect(runCheck(connector, { config: { baseUrl: server.url, apiKey: 'revoked-key' } }))
 *   .rejects.toMatchObject({ retryable: false });
 * ```
 */
export async function runCheck(connector: Connector, options: TestInstanceOptions): Promise<RunCheckResult> {
  const instance = testInstance(connector, options);
  const log = createCapturingLogger();
  try {
    await instance.check({ signal: AbortSignal.timeout(options.timeoutMs ?? 10_000), log });
    return { logs: log.records };
  } catch (error) {
    attach(error, { logs: log.records });
    throw error;
  }
}

function testInstance(connector: Connector, options: TestInstanceOptions): ConnectorInstance {
  return createConnectorInstance(connector, options.config, {
    egress: options.egress ?? { allow: ['loopback', 'localhost'] },
    credentials: options.credentials ?? memoryCredentialStore(),
    ...(options.secrets ? { secrets: options.secrets } : {}),
    ...(options.name ? { name: options.name } : {}),
  });
}

function attach(error: unknown, fields: Record<string, unknown>): void {
  if (typeof error !== 'object' || error === null) return;
  for (const [key, value] of Object.entries(fields)) {
    Object.defineProperty(error, key, { value, enumerable: false, configurable: true });
  }
}
