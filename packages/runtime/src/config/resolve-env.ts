import { BatonError } from '@baton/sdk';

/**
 * Replaces every `{ "$env": "NAME" }` in a config value with the variable's
 * value, and collects those values as secrets. A missing variable is an
 * error naming it (and where it is used), never its value.
 */
export function resolveEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  where: string,
): { value: unknown; secrets: string[] } {
  const secrets: string[] = [];
  const missing: string[] = [];
  const walk = (current: unknown, path: string): unknown => {
    if (Array.isArray(current)) return current.map((v, i) => walk(v, `${path}[${i}]`));
    if (current === null || typeof current !== 'object') return current;
    const entries = Object.entries(current);
    if (entries.length === 1 && entries[0]![0] === '$env' && typeof entries[0]![1] === 'string') {
      const name = entries[0]![1];
      const resolved = env[name];
      if (resolved === undefined || resolved === '') {
        missing.push(`${name} (${path})`);
        return undefined;
      }
      secrets.push(resolved);
      return resolved;
    }
    const out: Record<string, unknown> = {};
    for (const [key, v] of entries) out[key] = walk(v, path ? `${path}.${key}` : key);
    return out;
  };
  const resolved = walk(value, where);
  if (missing.length > 0) {
    throw new BatonError(
      `environment variable${missing.length > 1 ? 's' : ''} not set: ${missing.join(', ')}`,
      {
        code: 'CONFIG_ENV_MISSING',
      },
    );
  }
  return { value: resolved, secrets };
}
