import { isBatonError } from '@baton/sdk';
import type { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { GatewayError } from '../errors';
import { readBody } from '../webhooks/read-body';
import { nodeRequest } from '../webhooks/request-headers';

/** `application/json` or `application/<anything>+json`, then parameters. */
const JSON_TYPE = /^application\/(?:[a-z0-9.!#$&^_-]+\+)?json\s*(?:;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Options of `readJsonBody`. */
export interface JsonBodyOptions {
  /** Bytes read at most before `413 BODY_TOO_LARGE`. */
  limit: number;
  /** An empty body reads as `{}` instead of being refused. @default false */
  optional?: boolean;
}

/**
 * Reads an admin API request's JSON body and checks it against `schema`,
 * answering bad input with a 4xx that says what is wrong:
 * `415 UNSUPPORTED_MEDIA_TYPE` for a `Content-Type` other than JSON (or
 * none, with a body), `413 BODY_TOO_LARGE` past `limit`, `400 BODY_INVALID`
 * for bytes that are not UTF-8 JSON, `400 REQUEST_INVALID` naming each
 * field that does not match. A client that goes away mid-body is
 * `CLIENT_CLOSED`, which is not logged as a failure.
 *
 * Routes using it keep the body in their OpenAPI declaration but must not
 * let zod-openapi validate it (see `documentedBodyRoute`): its validator
 * reads without a limit and throws errors that are not ours.
 */
export async function readJsonBody<T extends z.ZodType>(
  c: Context,
  schema: T,
  options: JsonBodyOptions,
): Promise<z.infer<T>> {
  const type = c.req.header('content-type');
  if (type !== undefined) checkJsonType(type);
  const raw = await readWithin(c, options.limit);
  let value: unknown;
  if (raw.byteLength === 0) {
    if (!options.optional) throw new GatewayError('BODY_INVALID', 'the body is empty; send a JSON object');
    value = {};
  } else {
    if (type === undefined)
      throw new GatewayError(
        'UNSUPPORTED_MEDIA_TYPE',
        'the request has a body but no Content-Type; send it as application/json',
      );
    value = parseJson(raw);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new GatewayError('REQUEST_INVALID', describeIssues('body', parsed.error));
  return parsed.data;
}

/** One message naming each offending field: `body.data: …; query limit: …`. */
export function describeIssues(target: string, error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return `${target}${path ? (target === 'body' ? '.' : ' ') + path : ''}: ${issue.message}`;
    })
    .join('; ');
}

function checkJsonType(type: string): void {
  if (!JSON_TYPE.test(type))
    throw new GatewayError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Type "${type.slice(0, 100)}" is not JSON; send the body as application/json`,
    );
  const charset = CHARSET.exec(type)?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
    throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', `JSON must be UTF-8, not ${charset.slice(0, 40)}`);
}

async function readWithin(c: Context, limit: number): Promise<Buffer> {
  try {
    return await readBody(c, limit, c.req.header('content-length') ?? null);
  } catch (error) {
    if (isBatonError(error)) throw error;
    // Anything else while reading is the connection failing under us: the client aborted or reset it.
    if (clientGone(c))
      throw new GatewayError('CLIENT_CLOSED', 'the client closed the connection before the body ended', {
        cause: error,
      });
    throw error;
  }
}

function clientGone(c: Context): boolean {
  const incoming = nodeRequest(c);
  if (incoming) return !incoming.complete;
  return c.req.raw.signal.aborted;
}

function parseJson(raw: Buffer): unknown {
  let text: string;
  try {
    text = UTF8.decode(raw);
  } catch {
    throw new GatewayError('BODY_INVALID', 'the body is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new GatewayError('BODY_INVALID', `the body is not valid JSON: ${(error as Error).message}`);
  }
}
