import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateJsonSchemas, renderJsonSchema } from './json-schemas';

describe('the shipped JSON Schemas', () => {
  it.each(Object.entries(generateJsonSchemas()))('schemas/%s matches the zod source', (name, schema) => {
    const shipped = readFileSync(new URL(`../../schemas/${name}`, import.meta.url), 'utf8');
    // On a difference, run `pnpm --filter @baton/runtime generate` and commit the result.
    expect(shipped).toBe(renderJsonSchema(schema));
  });

  it('are draft 2020-12 and let files name their own $schema', () => {
    for (const schema of Object.values(generateJsonSchemas())) {
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect((schema.properties as Record<string, unknown>).$schema).toMatchObject({ type: 'string' });
    }
  });
});
