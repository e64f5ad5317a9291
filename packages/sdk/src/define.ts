import { z } from 'zod';
import type { Action, ActionDefinition, AnyAction, Connector, ConnectorDefinition } from './types';

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Declares one action. An identity helper: it exists so TypeScript infers
 * `input` and `config` inside `run` from the schemas, with no casts.
 *
 * @example
 * ```ts
 * export const createTicket = defineAction({
 *   input: z.object({ subject: z.string() }),
 *   output: z.object({ id: z.string() }),
 *   async run({ input, http, idempotencyKey }) {
 *     const { data } = await http.post('/tickets', input, { headers: { 'Idempotency-Key': idempotencyKey } });
 *     return { id: String(data.id) };
 *   },
 * });
 * ```
 */
export function defineAction<
  TInputSchema extends z.ZodType,
  TOutputSchema extends z.ZodType,
  TConfig = unknown,
>(
  definition: ActionDefinition<TInputSchema, TOutputSchema, TConfig>,
): Action<TInputSchema, TOutputSchema, TConfig> {
  return definition;
}

/**
 * Declares a connector: its config schema, how its HTTP client is set up and
 * its actions. The default export of a connector package.
 *
 * Names are checked here, so a connector with a bad action name fails as soon
 * as it is loaded, with a message that says which name.
 *
 * @example
 * ```ts
 * export default defineConnector({
 *   name: 'acme-helpdesk',
 *   config: z.object({ baseUrl: z.string().url(), apiKey: z.string() }),
 *   http: (config) => ({ baseURL: config.baseUrl, headers: { authorization: `Bearer ${config.apiKey}` } }),
 *   actions: { 'create-ticket': createTicket },
 * });
 * ```
 */
export function defineConnector<
  TConfigSchema extends z.ZodType,
  TActions extends Record<string, AnyAction<z.output<TConfigSchema>>>,
>(definition: ConnectorDefinition<TConfigSchema, TActions>): Connector<TConfigSchema, TActions> {
  if (!KEBAB.test(definition.name)) {
    throw new TypeError(`Connector name "${definition.name}" must be kebab-case (like "acme-helpdesk")`);
  }
  for (const [name, action] of Object.entries(definition.actions)) {
    if (!KEBAB.test(name)) {
      throw new TypeError(`Action name "${name}" of connector "${definition.name}" must be kebab-case`);
    }
    if (typeof action?.run !== 'function' || !isSchema(action.input) || !isSchema(action.output)) {
      throw new TypeError(
        `Action "${name}" of connector "${definition.name}" needs input and output zod schemas and a run function (use defineAction)`,
      );
    }
  }
  if (!isSchema(definition.config)) {
    throw new TypeError(
      `Connector "${definition.name}" needs a zod schema as config (z.object({}) for none)`,
    );
  }
  return definition;
}

/** True when `value` looks like a connector made with `defineConnector` (any copy of the SDK). */
export function isConnector(value: unknown): value is Connector {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Connector>;
  return (
    typeof candidate.name === 'string' &&
    isSchema(candidate.config) &&
    typeof candidate.actions === 'object' &&
    candidate.actions !== null
  );
}

function isSchema(value: unknown): value is z.ZodType {
  return typeof value === 'object' && value !== null && typeof (value as z.ZodType).safeParse === 'function';
}

/** A config schema for connectors that need none. */
export const noConfig = z.object({});
