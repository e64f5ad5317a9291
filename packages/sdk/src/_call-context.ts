import type { CallAbort } from './call-abort';
import { redactValue } from './errors/redact';
import type { HttpClient } from './http/create-http-client';
import type { ProviderThrottle } from './limits/types';
import { type Logger, scrubbedLogger, silentLogger } from './logger';
import type { ActionContext, RunInfo } from './types';

/** What every call of one connector instance shares. */
export interface InstanceParts {
  secrets: readonly string[];
  /** The instance's HTTP client for one call (made when the action reaches for `http`). */
  client(
    abort: CallAbort,
    log: Logger,
    onThrottle: ((throttle: ProviderThrottle) => void) | undefined,
  ): HttpClient;
}

/** What the host passed for one call (a subset of InvokeOptions). */
export interface CallOptions {
  idempotencyKey: string;
  log?: Logger;
  onThrottle?: (throttle: ProviderThrottle) => void;
}

/**
 * The context one action call receives. `http`, `log` and `signal` are
 * made when the action first reads them (many actions read none), by
 * getters of a class: an object literal with getters is built by the
 * runtime's slow path, which cost more than the rest of invoking an action
 * that does little.
 */
export class CallContext implements ActionContext<unknown, unknown> {
  readonly input: unknown;
  readonly config: unknown;
  readonly idempotencyKey: string;
  readonly run: RunInfo;
  readonly #instance: InstanceParts;
  readonly #options: CallOptions;
  readonly #abort: CallAbort;
  #http: HttpClient | undefined;
  #log: Logger | undefined;

  constructor(
    call: { input: unknown; config: unknown; run: RunInfo; abort: CallAbort },
    options: CallOptions,
    instance: InstanceParts,
  ) {
    this.input = call.input;
    this.config = call.config;
    this.idempotencyKey = options.idempotencyKey;
    this.run = call.run;
    this.#instance = instance;
    this.#options = options;
    this.#abort = call.abort;
  }

  get http(): HttpClient {
    this.#http ??= this.#instance.client(this.#abort, this.log, this.#options.onThrottle);
    return this.#http;
  }

  get log(): Logger {
    const secrets = this.#instance.secrets;
    this.#log ??= scrubbedLogger(this.#options.log ?? silentLogger, (value) => redactValue(value, secrets));
    return this.#log;
  }

  /** Made when the action reads it (see CallAbort). */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }
}
