import type { JsonSchema } from '@baton/sdk/host';
import { z } from 'zod';
import { configSchema } from '../config/schema';
import { flowSchema } from '../flow/schema';

/**
 * The JSON Schemas (draft 2020-12) shipped in `@baton/runtime/schemas/`,
 * generated from the zod schemas, the single source. Editors use them
 * through the `$schema` of flow files and baton.config.json to complete
 * and underline; `scripts/generate-schemas.ts` writes them, and a test
 * fails when the shipped files drift from this.
 */
export function generateJsonSchemas(): Record<'flow.schema.json' | 'config.schema.json', JsonSchema> {
  return {
    'flow.schema.json': toJsonSchema(flowSchema),
    'config.schema.json': toJsonSchema(configSchema),
  };
}

/** The text of a shipped schema file: two-space JSON and a final newline. */
export function renderJsonSchema(schema: JsonSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

function toJsonSchema(schema: z.ZodType): JsonSchema {
  // `input`: what an author writes, before any default is applied.
  return z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as JsonSchema;
}
