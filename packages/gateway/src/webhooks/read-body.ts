import { GatewayError } from '../errors';

/** The default body limit: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Reads the body up to `limit` bytes. A declared `Content-Length` (its header,
 * or null) over the
 * limit is refused before reading; a chunked body is counted as it arrives
 * and refused as soon as it passes the limit, so memory stays bounded.
 */
export async function readBody(request: Request, limit: number, declared: string | null): Promise<Buffer> {
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  if (declared !== null) {
    // The HTTP parser stops at the declared length, so the body is bounded: read
    // it in one go, which @hono/node-server serves straight from the socket
    // without building a web stream (most of a webhook's cost when it does).
    const body = Buffer.from(await request.arrayBuffer());
    if (body.byteLength > limit) throw tooLarge(limit);
    return body;
  }
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError('BODY_TOO_LARGE', `the body is larger than ${limit} bytes`);
}
