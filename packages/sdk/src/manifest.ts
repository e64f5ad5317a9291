import { z } from 'zod';
import type { Connector } from './types';

/** A JSON Schema document (draft 2020-12). */
export type JsonSchema = Record<string, unknown>;

/** What tools need to know of a connector without running it. */
export interface ConnectorManifest {
  name: string;
  version?: string;
  description?: string;
  /** Schema of the instance config. */
  config: JsonSchema;
  actions: Record<string, ActionManifest>;
}

export interface ActionManifest {
  description?: string;
  /** Schema of the input a step must give (what the action accepts). */
  input: JsonSchema;
  /** Schema of the output a later step can read (what the action returns). */
  output: JsonSchema;
  examples?: ReadonlyArray<{ description?: string; input: unknown; output?: unknown }>;
}

/**
 * Describes a connector as JSON Schemas generated from its zod schemas, so
 * flows can be checked statically without running connector code.
 */
export function connectorManifest(connector: Connector, version?: string): ConnectorManifest {
  const actions: Record<string, ActionManifest> = {};
  for (const [name, action] of Object.entries(connector.actions)) {
    actions[name] = {
      ...(action.description ? { description: action.description } : {}),
      input: toJsonSchema(action.input, 'input'),
      output: toJsonSchema(action.output, 'output'),
      ...(action.examples ? { examples: action.examples } : {}),
    };
  }
  const resolvedVersion = version ?? connector.version;
  return {
    name: connector.name,
    ...(resolvedVersion ? { version: resolvedVersion } : {}),
    ...(connector.description ? { description: connector.description } : {}),
    config: toJsonSchema(connector.config, 'input'),
    actions,
  };
}

/**
 * Converts a zod schema to JSON Schema. Types JSON Schema cannot express
 * (transforms, dates) become `{}`, "anything", rather than failing.
 */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  return z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
}
