/** What replaces a secret wherever Baton prints or stores text. */
export const REDACTED = '[redacted]';

/** Config keys whose values are treated as secrets even when written inline. */
export const SECRET_KEY_PATTERN =
  /(secret|token|password|passwd|api[-_]?key|apikey|private[-_]?key|authorization|credential|signature|cookie)/i;

/**
 * Replaces every occurrence of each secret in `text`. Secrets shorter than
 * four characters are ignored: redacting `a` or `1` would shred the text and
 * protect nothing.
 */
export function redactText(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
    // Secrets also travel URL-encoded and base64-encoded (Basic auth).
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  }
  return out;
}

/**
 * Deep-copies a JSON-like value with every secret string replaced and every
 * value under a secret-looking key hidden. Cycles and depth are bounded.
 */
export function redactValue(value: unknown, secrets: Iterable<string>, depth = 0): unknown {
  const list = [...secrets];
  return redactInner(value, list, depth, new WeakSet());
}

function redactInner(value: unknown, secrets: string[], depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 32 || seen.has(value)) return '[truncated]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactInner(v, secrets, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] =
      SECRET_KEY_PATTERN.test(key) && typeof v === 'string'
        ? REDACTED
        : redactInner(v, secrets, depth + 1, seen);
  }
  return out;
}

/**
 * Collects the secret strings of a config object: every string under a
 * secret-looking key, at any depth.
 */
export function secretsOfConfig(config: unknown, out: Set<string> = new Set(), depth = 0): Set<string> {
  if (depth > 16 || config === null || typeof config !== 'object') return out;
  for (const [key, value] of Object.entries(config)) {
    if (typeof value === 'string' && SECRET_KEY_PATTERN.test(key)) out.add(value);
    else secretsOfConfig(value, out, depth + 1);
  }
  return out;
}
