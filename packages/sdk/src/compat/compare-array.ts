import type { JsonSchema } from '../manifest';
import type { CompareContext, SchemaNode } from './context';

/** Whether a schema says anything about arrays' items. */
export function describesArray(schema: JsonSchema): boolean {
  return schema.items !== undefined || schema.prefixItems !== undefined;
}

/** Compares `prefixItems` (tuple slots, `[0]`) and `items` (every further item, `[]`). */
export function compareArrays(
  context: CompareContext,
  oldSchema: JsonSchema,
  newSchema: JsonSchema,
  path: readonly string[],
): void {
  const slotsBefore = (oldSchema.prefixItems ?? []) as SchemaNode[];
  const slotsAfter = (newSchema.prefixItems ?? []) as SchemaNode[];
  const itemsBefore = oldSchema.items as SchemaNode;
  const itemsAfter = newSchema.items as SchemaNode;
  for (let i = 0; i < Math.max(slotsBefore.length, slotsAfter.length); i++) {
    const before = i < slotsBefore.length ? slotsBefore[i] : itemsBefore;
    const after = i < slotsAfter.length ? slotsAfter[i] : itemsAfter;
    context.compare(before, after, [...path, `[${i}]`]);
  }
  if (itemsBefore !== undefined || itemsAfter !== undefined)
    context.compare(itemsBefore, itemsAfter, [...path, '[]']);
}
