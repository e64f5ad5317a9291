import { createHash } from 'node:crypto';

/** How many hex characters of the SHA-256 name a version: 48 bits, far from a collision among one flow's versions. */
const VERSION_LENGTH = 12;

/**
 * A flow's version: the first 12 hex characters of the SHA-256 of its
 * canonical JSON (object keys sorted, no white space). Two files that
 * parse to the same flow have the same version, however they are laid out.
 *
 * @example
 * ```ts
 * flowVersionOf({ id: 'a', steps: [] }) === flowVersionOf(JSON.parse('{ "steps": [], "id": "a" }'));
 * ```
 */
export function flowVersionOf(flow: unknown): string {
  return createHash('sha256').update(canonicalJson(flow)).digest('hex').slice(0, VERSION_LENGTH);
}

/** JSON with every object's keys in sorted order; `undefined` members left out, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  const members: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined || typeof member === 'function') continue;
    members.push(`${JSON.stringify(key)}:${canonicalJson(member)}`);
  }
  return `{${members.join(',')}}`;
}
