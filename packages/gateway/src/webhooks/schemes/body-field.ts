/** A top-level string field of a parsed JSON body, if there is one. */
export function bodyField(body: unknown, field: string): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const value = (body as Record<string, unknown>)[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
