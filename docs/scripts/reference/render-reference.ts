import { durationSchema, generateJsonSchemas } from '@baton/runtime/internal';
import { fillGeneratedBlocks } from './generated-blocks';
import { type SchemaNode, schemaTables, type TableOptions } from './schema-tables';

/** The reference page whose field tables are generated. */
export const REFERENCE_PAGE = 'flow-reference.md';

const NOTICE =
  'Generated from the zod schemas in packages/runtime/src/{flow,config}/schema.ts by `pnpm docs:generate`: edit those, not this block.';

/**
 * The reference page with its field tables regenerated from the zod
 * schemas (through the JSON Schemas Baton ships, built from them in
 * memory): the flow file's and baton.config.json's. Everything outside the
 * generated blocks is kept as written.
 */
export function renderReference(markdown: string): string {
  const schemas = generateJsonSchemas();
  const flow = schemas['flow.schema.json'] as SchemaNode;
  const config = schemas['config.schema.json'] as SchemaNode;
  const durationPattern = flow.properties?.timeout?.pattern;
  if (!durationPattern) throw new Error('the flow schema has no duration pattern on "timeout"');
  const options: TableOptions = {
    level: 3,
    durationPattern,
    durationAnchor: 'durations',
    anyValue: 'any JSON value',
    ...(durationSchema.description ? { durationDescription: durationSchema.description } : {}),
  };
  return fillGeneratedBlocks(
    markdown,
    {
      'flow-fields': () => schemaTables(flow, 'The flow file', options),
      'config-fields': () => schemaTables(config, 'baton.config.json', options),
    },
    NOTICE,
  );
}
