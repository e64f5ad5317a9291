import type { JsonSchema } from '../manifest';
import type { ChangeKind, ChangeSeverity, SchemaChange, SchemaRole } from './types';

/** A schema position: a schema object, `true`/`false`, or nothing (anything goes). */
export type SchemaNode = JsonSchema | boolean | undefined;

/**
 * Which way a keyword moved: `narrower` lets fewer values through, `wider`
 * more, `changed` neither clearly (a different pattern or format).
 */
export type Direction = 'narrower' | 'wider' | 'changed';

/**
 * What the comparison of one pair of schemas shares between its parts. The
 * parts call back through `compare` rather than importing each other, so
 * no two modules depend on one another.
 */
export interface CompareContext {
  role: SchemaRole;
  /** Who writes what the schema accepts, for messages: `flows`, `hub configs`. */
  writers: string;
  oldRoot: JsonSchema;
  newRoot: JsonSchema;
  /** Pairs of `$ref`s already being compared: a recursive schema is compared once. */
  refPairs: Set<string>;
  changes: SchemaChange[];
  /** Compares two sub-schemas, following `$ref`s, unions and all. */
  compare(oldNode: SchemaNode, newNode: SchemaNode, path: readonly string[]): void;
  /** Compares two resolved schema objects that are not unions. */
  compareSingle(oldSchema: JsonSchema, newSchema: JsonSchema, path: readonly string[]): void;
}

/**
 * The severity of a move in the schema's role: an input or config that got
 * narrower refuses what flows send; an output that got wider hands later
 * steps values they did not expect.
 */
export function severityOf(role: SchemaRole, direction: Direction): ChangeSeverity {
  if (direction === 'changed') return 'breaking';
  const breaks = role === 'accepts' ? direction === 'narrower' : direction === 'wider';
  return breaks ? 'breaking' : 'additive';
}

/** Records a change whose severity follows from its direction. */
export function report(
  context: CompareContext,
  path: readonly string[],
  kind: ChangeKind,
  direction: Direction,
  message: string,
): void {
  context.changes.push({ path, kind, severity: severityOf(context.role, direction), message });
}

/** Records a change of a given severity. */
export function reportAs(
  context: CompareContext,
  path: readonly string[],
  kind: ChangeKind,
  severity: ChangeSeverity,
  message: string,
): void {
  context.changes.push({ path, kind, severity, message });
}

/** Follows local `$ref`s (`#`, `#/$defs/Name`) within `root`; a remote ref resolves to "anything". */
export function resolveRef(node: SchemaNode, root: JsonSchema): SchemaNode {
  let current = node;
  for (let hops = 0; hops < 16 && typeof current === 'object' && typeof current.$ref === 'string'; hops++) {
    const ref = current.$ref as string;
    if (!ref.startsWith('#')) return undefined;
    let target: unknown = root;
    for (const segment of ref.slice(1).split('/').filter(Boolean)) {
      const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
      target =
        target !== null && typeof target === 'object' ? (target as Record<string, unknown>)[key] : undefined;
    }
    current = target as SchemaNode;
  }
  return current;
}

/** A schema's `type` as a list, or undefined when it names none (any type). */
export function typeList(schema: JsonSchema): string[] | undefined {
  const type = schema.type;
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? (type as string[]) : undefined;
}
