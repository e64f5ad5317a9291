import type { z } from 'zod';
import { CallContext, type InstanceParts } from './_call-context';
import { defaultSetup, lazyClient, liveSecrets, raceAbort, scrubError } from './_instance';
import { memoryCredentialStore } from './auth/memory-credential-store';
import { createTokenSource, type TokenSource } from './auth/token-source';
import type { ConnectorAuth, CredentialStatus, CredentialStore } from './auth/types';
import { CallAbort } from './call-abort';
import { isBatonError } from './errors/baton-error';
import { toBatonError, validationErrorFromZod } from './errors/classify';
import { NonRetryableError, TimeoutError } from './errors/kinds';
import { redactValue, secretsOfConfig } from './errors/redact';
import { createHttpClient, type HttpSetup } from './http/create-http-client';
import type { EgressPolicy } from './http/egress-guard';
import type { ConnectorLimits, ProviderThrottle } from './limits/types';
import { type Logger, scrubbedLogger, silentLogger } from './logger';
import type { AnyAction, Connector, RunInfo } from './types';

export interface ConnectorInstanceOptions {
  /** The instance's name in `baton.config.json`, used in messages. @default the connector's name */
  name?: string;
  /** Which non-public hosts the instance may reach. */
  egress?: EgressPolicy;
  /** Secret values (from `$env`) to keep out of logs, errors and records. */
  secrets?: Iterable<string>;
  /**
   * Where OAuth2 tokens are kept and shared between processes, keyed by
   * the instance's `name`: every process that binds the same instance to
   * the same store shares one token and refreshes it one at a time.
   * @default a new `memoryCredentialStore()`, this instance's alone
   */
  credentials?: CredentialStore;
}

/** Options of `ConnectorInstance.check`. */
export interface CheckOptions {
  signal?: AbortSignal;
  log?: Logger;
  /** As `InvokeOptions.onThrottle`, for the check's requests. */
  onThrottle?: (throttle: ProviderThrottle) => void;
}

export interface InvokeOptions {
  /** The step's input, before validation. */
  input: unknown;
  /** See `ActionContext.idempotencyKey`. */
  idempotencyKey: string;
  /** Aborts the call (step timeout, cancellation). */
  signal?: AbortSignal;
  /**
   * Aborts the call, as `signal` does, without making an AbortSignal unless
   * the action reads its `signal` (for callers that invoke in bulk).
   */
  abort?: CallAbort;
  log?: Logger;
  run?: Partial<RunInfo>;
  /**
   * Called when the provider says to slow down: a 429 or 503 with
   * `Retry-After`, or rate-limit headers that say the budget is spent
   * (also on a successful answer). The host pauses the whole instance.
   */
  onThrottle?: (throttle: ProviderThrottle) => void;
}

/** A connector bound to one validated config: what the runtime calls. */
export interface ConnectorInstance {
  readonly name: string;
  readonly connector: Connector;
  /** The validated config. Holds secrets: never print it. */
  readonly config: unknown;
  /**
   * Every secret value this instance knows, for redaction elsewhere: its
   * config's, and the OAuth2 tokens it received so far. The array grows in
   * place as tokens arrive; a copy taken at start misses later tokens.
   */
  readonly secrets: readonly string[];
  /** The provider limits the connector declares for this config (before any override). */
  readonly limits: ConnectorLimits | undefined;
  /** The OAuth2 grant this instance uses, when it uses one. */
  readonly auth: ConnectorAuth | undefined;
  /** True when the connector implements `check`. */
  readonly checkable: boolean;
  hasAction(action: string): boolean;
  /**
   * Runs the connector's `check` (its cheap credentials test). Resolves when
   * the credentials work; throws a classified error when they do not
   * (`CREDENTIALS_INVALID` for refused credentials). Without a `check`, an
   * OAuth2 instance checks that it can get a token; others resolve.
   */
  check(options?: CheckOptions): Promise<void>;
  /** The state of the instance's OAuth2 credentials, from the credential store. */
  credentialStatus(): Promise<CredentialStatus>;
  /**
   * Validates the input, runs the action, validates the output. Every failure
   * is a classified Baton error whose message holds no secret.
   */
  invoke(action: string, options: InvokeOptions): Promise<unknown>;
}

/**
 * Validates `rawConfig` against the connector's schema and binds them. A bad
 * config is a `ValidationError` (code `CONFIG_INVALID`) naming each field.
 */
export function createConnectorInstance(
  connector: Connector,
  rawConfig: unknown,
  options: ConnectorInstanceOptions = {},
): ConnectorInstance {
  const name = options.name ?? connector.name;
  const parsed = connector.config.safeParse(rawConfig ?? {});
  if (!parsed.success) {
    throw validationErrorFromZod(
      `Invalid config for connector instance "${name}"`,
      parsed.error,
      'CONFIG_INVALID',
    );
  }
  const config = parsed.data;
  const declared = (connector.secrets?.(config) ?? []).filter((s): s is string => typeof s === 'string');
  const setup: HttpSetup = connector.http ? connector.http(config) : defaultSetup(config);

  const limits = typeof connector.limits === 'function' ? connector.limits(config) : connector.limits;
  const auth = connector.auth?.(config);
  const live = liveSecrets([
    ...(options.secrets ?? []),
    ...secretsOfConfig(config),
    ...declared,
    ...(auth?.clientSecret ? [auth.clientSecret] : []),
    ...(auth?.refreshToken ? [auth.refreshToken] : []),
  ]);
  const secrets = live.list;
  const tokens: TokenSource | undefined = auth
    ? createTokenSource({
        instance: name,
        auth,
        store: options.credentials ?? memoryCredentialStore(),
        egress: options.egress,
        secrets,
        onSecret: live.add,
      })
    : undefined;

  const clientFor = (signal: AbortSignal, log: Logger, onThrottle?: (throttle: ProviderThrottle) => void) =>
    createHttpClient({
      ...setup,
      signal,
      secrets,
      log,
      ...(options.egress ? { egress: options.egress } : {}),
      ...(tokens ? { bearer: tokens } : {}),
      ...(onThrottle ? { onThrottle } : {}),
    });

  const parts: InstanceParts = {
    secrets,
    // A proxy until first used: actions destructure `http` up front (see lazyClient).
    client: (abort, log, onThrottle) => lazyClient(() => clientFor(abort.signal, log, onThrottle)),
  };

  return {
    name,
    connector,
    config,
    secrets,
    limits,
    auth,
    checkable: typeof connector.check === 'function',
    hasAction: (action) => Object.hasOwn(connector.actions, action),
    async check(checkOptions = {}) {
      if (!connector.check && !tokens) return;
      const abort = checkOptions.signal ? CallAbort.following(checkOptions.signal) : new CallAbort();
      const log = scrubbedLogger(checkOptions.log ?? silentLogger, (value) => redactValue(value, secrets));
      try {
        if (connector.check) {
          await raceAbort(
            connector.check({
              config,
              http: clientFor(abort.signal, log, checkOptions.onThrottle),
              log,
              signal: abort.signal,
            }),
            abort,
            `${name} check`,
          );
        } else if (tokens) {
          // No check of its own: getting a token is the test of an OAuth2 instance's credentials.
          await raceAbort(tokens.token({ log }), abort, `${name} check`);
        }
      } catch (error) {
        throw scrubError(toBatonError(error), secrets);
      } finally {
        abort.release();
      }
    },
    async credentialStatus() {
      return tokens ? tokens.status() : { state: 'none' };
    },
    invoke: invokeAction,
  };

  /** A failure as the host sees it: classified, without the instance's secrets. */
  function fail(error: unknown): Error {
    return scrubError(toBatonError(error), secrets);
  }

  /**
   * Validates, runs, validates. Not an async function: the promise the
   * caller awaits is the one that races the action against its abort, so
   * an action that does little costs no further frames and turns.
   */
  function invokeAction(actionName: string, invokeOptions: InvokeOptions): Promise<unknown> {
    let abort: CallAbort | undefined;
    try {
      const action: AnyAction | undefined = Object.hasOwn(connector.actions, actionName)
        ? connector.actions[actionName]
        : undefined;
      if (!action) {
        throw new NonRetryableError(`Connector instance "${name}" has no action "${actionName}"`, {
          code: 'ACTION_NOT_FOUND',
        });
      }
      const input = (action.input as z.ZodType).safeParse(invokeOptions.input);
      if (!input.success) {
        throw validationErrorFromZod(`Invalid input for ${name}.${actionName}`, input.error, 'INPUT_INVALID');
      }
      abort =
        invokeOptions.abort ??
        (invokeOptions.signal ? CallAbort.following(invokeOptions.signal) : new CallAbort());
      if (abort.aborted) throw new TimeoutError(`${name}.${actionName} was aborted before it started`);
      // The logger, the HTTP client and the signal are made when the action reaches for them.
      const context = new CallContext(
        { input: input.data, config, run: runInfo(invokeOptions.run, actionName), abort },
        invokeOptions,
        parts,
      );
      const running = action.run(context);
      const called = abort;
      return new Promise<unknown>((resolve, reject) => {
        let settled = false;
        let off: (() => void) | undefined;
        const settle = () => {
          settled = true;
          off?.();
          // A signal the caller passed may outlive the call: stop listening to it.
          if (!invokeOptions.abort) called.release();
        };
        // Ends the wait when the call is aborted, even if the action ignores it.
        off = called.onAbort((reason) => {
          if (settled) return;
          settle();
          reject(fail(isBatonError(reason) ? reason : new TimeoutError(`${name}.${actionName} timed out`)));
        });
        running.then(
          (result) => {
            if (settled) return;
            settle();
            const output = (action.output as z.ZodType).safeParse(result);
            if (output.success) resolve(output.data);
            else
              reject(
                fail(
                  validationErrorFromZod(
                    `Invalid output from ${name}.${actionName}`,
                    output.error,
                    'OUTPUT_INVALID',
                  ),
                ),
              );
          },
          (error: unknown) => {
            if (settled) return;
            settle();
            reject(fail(error));
          },
        );
      });
    } catch (error) {
      if (abort && !invokeOptions.abort) abort.release();
      return Promise.reject(fail(error));
    }
  }
}

/** Where the call sits, as the host said (it usually says all), the rest filled in. */
function runInfo(given: Partial<RunInfo> | undefined, actionName: string): RunInfo {
  const run: RunInfo = {
    id: given?.id ?? 'local',
    flow: given?.flow ?? 'local',
    step: given?.step ?? actionName,
    attempt: given?.attempt ?? 1,
  };
  if (given?.item !== undefined) run.item = given.item;
  return run;
}
