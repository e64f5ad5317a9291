import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { GatewayError } from '../errors';
import { nodeRequest } from './request-headers';

/** The default body limit: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Reads the body up to `limit` bytes. A declared `Content-Length` (its header,
 * or null) over the limit is refused before reading; a chunked body is
 * counted as it arrives and refused as soon as it passes the limit, so
 * memory stays bounded. On @hono/node-server the bytes are taken from Node's
 * request stream as they come (no web stream, no copy into an ArrayBuffer).
 */
export async function readBody(c: Context, limit: number, declared: string | null): Promise<Buffer> {
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  const incoming = nodeRequest(c);
  if (incoming && !incoming.readableDidRead) return readIncoming(incoming, limit);
  const request = c.req.raw;
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

function readIncoming(incoming: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = (settle: () => void) => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      settle();
    };
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > limit) {
        // Stop keeping the bytes; Node drains or closes the connection after the answer.
        done(() => reject(tooLarge(limit)));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => done(() => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total)));
    const onError = (error: Error) => done(() => reject(error));
    const onClose = () => {
      if (!incoming.complete)
        done(() => reject(new Error('the client closed the connection before the body ended')));
    };
    incoming.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError('BODY_TOO_LARGE', `the body is larger than ${limit} bytes`);
}
