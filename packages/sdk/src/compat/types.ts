/**
 * How much a change matters to the flows that use a connector:
 * - `breaking`: a flow that was valid and working may stop (a major version);
 * - `possibly-breaking`: a change the comparison cannot classify (an unusual
 *   JSON Schema construct, a changed default); it counts as breaking;
 * - `additive`: flows keep working (a minor version).
 */
export type ChangeSeverity = 'breaking' | 'possibly-breaking' | 'additive';

/** What changed, for programs that filter or count changes. */
export type ChangeKind =
  | 'action-removed'
  | 'action-added'
  | 'field-removed'
  | 'field-added'
  | 'field-required'
  | 'field-optional'
  | 'extra-fields'
  | 'type'
  | 'values'
  | 'bounds'
  | 'constraint'
  | 'union'
  | 'default'
  | 'unclassified';

/**
 * Which side of a schema its users stand on. `accepts`: an action's input
 * or a connector's config, which flows and hubs write (narrowing breaks
 * them). `returns`: an action's output, which later steps read (widening,
 * or a field that may now be missing, breaks them).
 */
export type SchemaRole = 'accepts' | 'returns';

/** One difference between two JSON Schemas. */
export interface SchemaChange {
  /** Where, from the schema's root: property names, `[]` for items, `[0]` for a tuple slot, `*` for extra fields, `(…)` for a union branch. */
  path: readonly string[];
  kind: ChangeKind;
  severity: ChangeSeverity;
  /** What changed, in a few words: `now required`, `type changed from string to number`. */
  message: string;
}
