/** JSON text with object keys sorted, so two equal values give the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, member: unknown) =>
    member !== null && typeof member === 'object' && !Array.isArray(member)
      ? Object.fromEntries(Object.entries(member).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : member,
  );
}

/** Deep equality of two JSON values, key order aside. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** A value as it reads in a message: strings quoted, the rest as JSON. */
export function showValue(value: unknown): string {
  return value === undefined ? 'none' : JSON.stringify(value);
}
