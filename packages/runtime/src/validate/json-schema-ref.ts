// One resolver for the static checks and the comparison of connector versions.
export { resolveRef, type SchemaNode } from '@baton/sdk/host';

/** A schema's `type` as a list, or undefined when it names none. */
export function typeList(type: unknown): string[] | undefined {
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? (type as string[]) : undefined;
}
