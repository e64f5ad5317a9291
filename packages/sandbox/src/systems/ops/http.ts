import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';

/**
 * The ops APIs answer errors as `{ error: { code, message } }`, the shape
 * most internal REST services settle on.
 */
export function opsError(c: Context, status: ContentfulStatusCode, code: string, message: string) {
  return c.json({ error: { code, message } }, status);
}

/**
 * Parses a JSON body with `schema`; on failure returns the 400 answer to
 * send instead, naming every bad field.
 */
export async function readBody<TSchema extends z.ZodType>(
  c: Context,
  schema: TSchema,
): Promise<{ data: z.output<TSchema> } | { answer: Response }> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    return { answer: opsError(c, 400, 'invalid_json', 'The body must be a JSON object') };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return { answer: opsError(c, 400, 'invalid_request', z.prettifyError(parsed.error)) };
  }
  return { data: parsed.data };
}

/** As `readBody`, for a route whose fields are all optional: an empty body reads as `{}`. */
export async function readOptionalBody<TSchema extends z.ZodType>(
  c: Context,
  schema: TSchema,
): Promise<{ data: z.output<TSchema> } | { answer: Response }> {
  const text = await c.req.text();
  if (text.trim() === '') {
    const parsed = schema.safeParse({});
    if (parsed.success) return { data: parsed.data };
  }
  return readBody(c, schema);
}

/** Sequential ids with a prefix, restarted on reset: `HW-1001`, `HW-1002`, … */
export class IdSequence {
  private next: number;
  constructor(
    private readonly prefix: string,
    private readonly start = 1001,
  ) {
    this.next = start;
  }

  take(): string {
    return `${this.prefix}-${this.next++}`;
  }

  reset(): void {
    this.next = this.start;
  }
}
