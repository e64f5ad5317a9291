import type { z } from 'zod';
import type { ConnectorAuth } from './auth/types';
import type { HttpClient, HttpSetup } from './http/create-http-client';
import type { ConnectorLimits } from './limits/types';
import type { Logger } from './logger';

/** Where an action call sits: which run, step, attempt and loop item. */
export interface RunInfo {
  /** The run's id. */
  id: string;
  /** The flow's id. */
  flow: string;
  /** The step's id. */
  step: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
  /** The index of the `forEach` item, when the step loops. */
  item?: number;
}

/** Everything an action's `run` receives. */
export interface ActionContext<TInput, TConfig> {
  /** The step's input, validated against the action's input schema. */
  input: TInput;
  /** The connector instance's config, validated at start-up. */
  config: TConfig;
  /** An axios instance set up from the config, with classified errors and the egress guard. */
  http: HttpClient;
  /**
   * Stable for this step of this run (and `forEach` item) across retries and
   * crashes; new on a replay. Pass it to vendors that deduplicate requests.
   */
  idempotencyKey: string;
  /** A logger whose output never contains the instance's secrets. */
  log: Logger;
  /** Aborted when the step times out or the run is cancelled. */
  signal: AbortSignal;
  /** Where this call sits. */
  run: RunInfo;
}

/** An example of a call, used by docs, tooling and the conformance suite. */
export interface ActionExample<TInput, TOutput> {
  description?: string;
  input: TInput;
  output?: TOutput;
}

/** The options object of `defineAction`. */
export interface ActionDefinition<TInputSchema extends z.ZodType, TOutputSchema extends z.ZodType, TConfig> {
  /** One sentence shown in manifests and docs. */
  description?: string;
  /**
   * The connector's config schema. It types `config` inside `run`; without
   * it `config` is `unknown`. (TypeScript cannot carry the connector's
   * config type into an action defined inline, so pass the schema: actions
   * usually live in their own files and import it from `config.ts`.)
   */
  config?: z.ZodType<TConfig>;
  /** Schema of the step's input. */
  input: TInputSchema;
  /** Schema of the action's result; checked after every call. */
  output: TOutputSchema;
  /** Sample inputs (and outputs) that must parse; shown in docs. */
  examples?: ReadonlyArray<ActionExample<z.input<TInputSchema>, z.input<TOutputSchema>>>;
  /** Does the work. Throw to fail; Baton classifies the error. */
  run(context: ActionContext<z.output<TInputSchema>, TConfig>): Promise<z.input<TOutputSchema>>;
}

/**
 * An action, as `defineAction` returns it. The `config` schema is only a
 * typing aid, so it is left out: an action that reads no config fits any
 * connector.
 */
export type Action<
  TInputSchema extends z.ZodType = z.ZodType,
  TOutputSchema extends z.ZodType = z.ZodType,
  TConfig = unknown,
> = Omit<ActionDefinition<TInputSchema, TOutputSchema, TConfig>, 'config'>;

// biome-ignore lint/suspicious/noExplicitAny: an action of any schema, checked against the connector's config
export type AnyAction<TConfig = any> = Action<any, any, TConfig>;

/** The options object of `defineConnector`. */
export interface ConnectorDefinition<
  TConfigSchema extends z.ZodType,
  TActions extends Record<string, AnyAction<z.output<TConfigSchema>>>,
> {
  /** kebab-case name, e.g. `acme-helpdesk`. */
  name: string;
  /** The package version, shown in manifests. */
  version?: string;
  /** One sentence shown in manifests and docs. */
  description?: string;
  /** Schema of the instance config in `baton.config.json`. */
  config: TConfigSchema;
  /**
   * How to set up the HTTP client from the config.
   * @default uses `config.baseUrl` as base URL when it is a string
   */
  http?: (config: z.output<TConfigSchema>) => HttpSetup;
  /**
   * Secret values in the config that are not under a secret-looking key
   * (`apiKey`, `token`, `password` … are found by name), such as a Slack
   * webhook URL. They are kept out of logs, errors and run records.
   */
  secrets?: (config: z.output<TConfigSchema>) => Array<string | undefined>;
  /**
   * The provider's documented limits, as defaults for every instance (a
   * config's `limits` overrides them). A function when they depend on the
   * config (a plan, a region).
   */
  limits?: ConnectorLimits | ((config: z.output<TConfigSchema>) => ConnectorLimits | undefined);
  /**
   * OAuth2 for instances configured for it: return the grant to use, or
   * undefined for an instance configured with a static key. The host fetches,
   * shares and refreshes the token and sends it on every `http` request.
   */
  auth?: (config: z.output<TConfigSchema>) => ConnectorAuth | undefined;
  /**
   * Tests the instance's credentials with one cheap call (an "who am I"
   * endpoint); throw when they do not work. Run by `baton validate --online`
   * and `GET /api/connectors/:id/health`.
   */
  check?: (context: CheckContext<z.output<TConfigSchema>>) => Promise<void>;
  /** The actions, by kebab-case name. */
  actions: TActions;
}

/** What a connector's `check` receives. */
export interface CheckContext<TConfig> {
  config: TConfig;
  /** The same client as actions get, with the instance's auth. */
  http: HttpClient;
  log: Logger;
  signal: AbortSignal;
}

/** A connector, as `defineConnector` returns it. */
export type Connector<
  TConfigSchema extends z.ZodType = z.ZodType,
  TActions extends Record<string, AnyAction<z.output<TConfigSchema>>> = Record<string, AnyAction>,
> = ConnectorDefinition<TConfigSchema, TActions>;
