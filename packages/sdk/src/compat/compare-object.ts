import type { JsonSchema } from '../manifest';
import { type CompareContext, report, reportAs, type SchemaNode } from './context';

/** `true`, `{}`: any value goes. */
function isAnything(node: SchemaNode | false): boolean {
  return node === true || node === undefined || (typeof node === 'object' && Object.keys(node).length === 0);
}

/** Whether a schema says anything about objects: the object keywords are compared only then. */
export function describesObject(schema: JsonSchema): boolean {
  return (
    schema.properties !== undefined ||
    schema.required !== undefined ||
    schema.additionalProperties !== undefined ||
    schema.propertyNames !== undefined
  );
}

/**
 * What a field the schema does not list may hold: `false` when such a field
 * is refused. Like `baton validate`, a plain `z.object()` (properties and no
 * `additionalProperties`) counts as closed: zod drops unknown fields, so a
 * flow that gives one is told it is a mistake.
 */
function extraFields(schema: JsonSchema): SchemaNode | false {
  const extra = schema.additionalProperties as SchemaNode;
  if (extra === false) return false;
  if (extra === undefined) return schema.properties === undefined || schema.patternProperties !== undefined;
  return extra;
}

function properties(schema: JsonSchema): Record<string, SchemaNode> {
  const value = schema.properties;
  return value !== null && typeof value === 'object' ? (value as Record<string, SchemaNode>) : {};
}

function required(schema: JsonSchema): Set<string> {
  return new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
}

/**
 * Compares `properties`, `required`, `additionalProperties` and
 * `propertyNames`. For an input or config: a new required field, a field
 * made required, a removed field or fewer extra fields break; for an output:
 * a removed field, or one that may now be missing.
 */
export function compareObjects(
  context: CompareContext,
  oldSchema: JsonSchema,
  newSchema: JsonSchema,
  path: readonly string[],
): void {
  const before = properties(oldSchema);
  const after = properties(newSchema);
  const requiredBefore = required(oldSchema);
  const requiredAfter = required(newSchema);
  const extraBefore = extraFields(oldSchema);
  const extraAfter = extraFields(newSchema);
  const accepts = context.role === 'accepts';

  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const at = [...path, key];
    const wasRequired = requiredBefore.has(key);
    const isRequired = requiredAfter.has(key);
    if (Object.hasOwn(before, key) && Object.hasOwn(after, key)) {
      context.compare(before[key], after[key], at);
      if (isRequired && !wasRequired)
        report(context, at, 'field-required', 'narrower', accepts ? 'now required' : 'now always present');
      if (wasRequired && !isRequired)
        report(context, at, 'field-optional', 'wider', accepts ? 'no longer required' : 'may now be missing');
    } else if (Object.hasOwn(before, key)) {
      if (!accepts) reportAs(context, at, 'field-removed', 'breaking', 'removed: steps that read it break');
      else if (extraAfter === false)
        reportAs(
          context,
          at,
          'field-removed',
          'breaking',
          `removed: ${context.writers} that give it are refused`,
        );
      else {
        // Still accepted as an unlisted field, but the action may no longer use it.
        reportAs(context, at, 'field-removed', 'possibly-breaking', 'removed from the listed fields');
        if (!isAnything(extraAfter)) context.compare(before[key], extraAfter, at);
      }
    } else {
      if (accepts && isRequired)
        reportAs(
          context,
          at,
          'field-added',
          'breaking',
          `new required field: ${context.writers} that do not give it are refused`,
        );
      else
        reportAs(
          context,
          at,
          'field-added',
          'additive',
          isRequired || !accepts ? 'new field' : 'new optional field',
        );
      // A field that was accepted as an unlisted one must still accept what it did.
      if (accepts && extraBefore !== false) context.compare(extraBefore, after[key], at);
    }
  }

  const at = [...path, '*'];
  // Steps read only listed output fields, so unlisted ones coming or going break no reader.
  if (extraBefore === false && extraAfter !== false)
    reportAs(
      context,
      at,
      'extra-fields',
      'additive',
      accepts ? 'unlisted fields now accepted' : 'may now hold unlisted fields',
    );
  else if (extraBefore !== false && extraAfter === false)
    reportAs(
      context,
      at,
      'extra-fields',
      accepts ? 'breaking' : 'additive',
      accepts ? 'unlisted fields now refused' : 'no longer holds unlisted fields',
    );
  else if (extraBefore !== false && extraAfter !== false) context.compare(extraBefore, extraAfter, at);

  if (oldSchema.propertyNames !== undefined || newSchema.propertyNames !== undefined) {
    // Object keys are strings whatever the schema says.
    const keys = (node: unknown) => (node === undefined ? { type: 'string' } : (node as SchemaNode));
    context.compare(keys(oldSchema.propertyNames), keys(newSchema.propertyNames), [...path, '(key)']);
  }
}
