/**
 * Turns what an expression returns into plain JSON data: fresh objects and
 * arrays with own properties only, no functions (JSONata function values
 * included), and none of the keys that deep-merge code turns into prototype
 * pollution (`__proto__`, and `constructor` holding a `prototype`), the rule
 * secure-json-parse applies to request bodies. Results go to connectors,
 * which may merge them into their own objects.
 */
export function toPlainData(value: unknown): unknown {
  if (typeof value === 'function') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (isJsonataFunction(value)) return undefined;
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      const plain = toPlainData(item);
      if (plain !== undefined) items.push(plain);
    }
    return items;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const member = (value as Record<string, unknown>)[key];
    if (isPollutingKey(key, member)) continue;
    const plain = toPlainData(member);
    if (plain !== undefined) out[key] = plain;
  }
  return out;
}

/** True for a key that deep-merge code would follow into a prototype. */
export function isPollutingKey(key: string, value: unknown): boolean {
  if (key === '__proto__') return true;
  return (
    key === 'constructor' && value !== null && typeof value === 'object' && Object.hasOwn(value, 'prototype')
  );
}

/** JSONata hands its own functions and lambdas around as flagged objects. */
export function isJsonataFunction(value: object): boolean {
  const flags = value as { _jsonata_function?: unknown; _jsonata_lambda?: unknown };
  return flags._jsonata_function === true || flags._jsonata_lambda === true;
}
