/**
 * Writes schemas/flow.schema.json and schemas/config.schema.json from the
 * zod schemas. Run `pnpm --filter @baton/runtime generate` after changing
 * src/flow/schema.ts or src/config/schema.ts, and commit the result.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { generateJsonSchemas, renderJsonSchema } from '../src/schemas/json-schemas';

const folder = new URL('../schemas/', import.meta.url);
await mkdir(folder, { recursive: true });
for (const [name, schema] of Object.entries(generateJsonSchemas())) {
  await writeFile(new URL(name, folder), renderJsonSchema(schema));
  process.stdout.write(`wrote schemas/${name}\n`);
}
