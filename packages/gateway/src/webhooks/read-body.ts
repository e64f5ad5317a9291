import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { GatewayError } from '../errors';
import type { BodyBudget } from './body-budget';
import { nodeRequest } from './request-headers';

/** The default body limit: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Reads the body up to `limit` bytes. A declared `Content-Length` (its header,
 * or null) over the limit is refused before reading; a chunked body is
 * counted as it arrives and refused as soon as it passes the limit, so
 * memory stays bounded. With a `budget`, large bodies also count against
 * what every request together may hold, and one that does not fit is
 * refused with `503 BUSY` at once. On @hono/node-server the bytes are taken
 * from Node's request stream as they come (no web stream, no copy into an
 * ArrayBuffer); a client that goes away mid-body (or is cut by the server's
 * request timeout) is `CLIENT_CLOSED`.
 */
export async function readBody(
  c: Context,
  limit: number,
  declared: string | null,
  budget?: BodyBudget,
): Promise<Buffer> {
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  const incoming = nodeRequest(c);
  if (incoming && !incoming.readableDidRead) return readIncoming(incoming, limit, budget);
  const request = c.req.raw;
  if (declared !== null) {
    // The HTTP parser stops at the declared length, so the body is bounded: read
    // it in one go, which @hono/node-server serves straight from the socket
    // without building a web stream (most of a webhook's cost when it does).
    const counted = budget ? budget.grow(0, Number(declared) || 0) : 0;
    if (counted < 0) throw busy();
    try {
      const body = Buffer.from(await request.arrayBuffer());
      if (body.byteLength > limit) throw tooLarge(limit);
      return body;
    } finally {
      budget?.release(counted);
    }
  }
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let counted = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => {});
        throw tooLarge(limit);
      }
      if (budget) {
        const grown = budget.grow(counted, total);
        if (grown < 0) {
          await reader.cancel().catch(() => {});
          throw busy();
        }
        counted = grown;
      }
      chunks.push(value);
    }
  } finally {
    budget?.release(counted);
  }
  return Buffer.concat(chunks, total);
}

/**
 * The same read straight from Node's request, for the listener in front of
 * Hono (webhook-listener.ts): the declared length checked first, then the
 * bytes as they come.
 */
export function readNodeBody(
  incoming: IncomingMessage,
  limit: number,
  declared: string | null,
  budget?: BodyBudget,
): Promise<Buffer> {
  if (declared !== null && Number(declared) > limit) return Promise.reject(tooLarge(limit));
  return readIncoming(incoming, limit, budget);
}

function readIncoming(
  incoming: IncomingMessage,
  limit: number,
  budget: BodyBudget | undefined,
): Promise<Buffer> {
  // Gone before the handler began: its 'close' has fired already and would not again.
  if (incoming.destroyed && !incoming.complete) return Promise.reject(clientClosed());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let counted = 0;
    const done = (settle: () => void) => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      budget?.release(counted);
      settle();
    };
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > limit) {
        // Stop keeping the bytes; Node drains or closes the connection after the answer.
        done(() => reject(tooLarge(limit)));
        return;
      }
      // A usual webhook is one chunk under the budget's uncounted bytes: nothing is counted.
      if (budget && total > budget.uncounted) {
        const grown = budget.grow(counted, total);
        if (grown < 0) {
          done(() => reject(busy()));
          return;
        }
        counted = grown;
      }
      chunks.push(chunk);
    };
    const onEnd = () => done(() => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total)));
    const onError = (error: Error) => done(() => reject(incoming.complete ? error : clientClosed(error)));
    const onClose = () => {
      if (!incoming.complete) done(() => reject(clientClosed()));
    };
    incoming.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError('BODY_TOO_LARGE', `the body is larger than ${limit} bytes`);
}

function busy(): GatewayError {
  // Bodies are held for at most the request timeout; a few seconds frees most of them.
  return new GatewayError('BUSY', 'the gateway is reading too many large bodies at once; retry later', {
    retryAfterSeconds: 5,
  });
}

function clientClosed(cause?: Error): GatewayError {
  return new GatewayError('CLIENT_CLOSED', 'the client closed the connection before the body ended', {
    ...(cause ? { cause } : {}),
  });
}
