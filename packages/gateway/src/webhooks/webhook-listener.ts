import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type ServerOptions,
  type ServerResponse,
} from 'node:http';
import { HTTP_ERROR_STATUS } from '@baton/sdk/host';
import type { GatewayDeps } from '../deps';
import type { AnswerableError } from '../errors';
import { answerFor } from '../on-error';
import { webhookAcceptor } from './accept-webhook';
import { readNodeBody } from './read-body';
import { nodeHeaders } from './request-headers';

/** `/webhooks/<source>` with a plain source name, and a query string or nothing after it. */
const WEBHOOK_PATH = /^\/webhooks\/([A-Za-z0-9._~-]+)(?:\?|$)/;

/**
 * The request listener `baton serve` puts in front of Hono's: `POST
 * /webhooks/<source>` is answered here, straight on Node's request and
 * response, by the same acceptor and with the same answers as the Hono
 * route (see accept-webhook.ts, on-error.ts); every other request (and a
 * source name Hono would have to decode) goes on to `next`. A webhook is
 * the gateway's hot path, and the web Request and Response, routing and
 * context Hono builds around it cost about a fifth of its HTTP handling.
 */
export function webhookListener(deps: GatewayDeps, next: RequestListener): RequestListener {
  const accept = webhookAcceptor(deps);
  return (request, response) => {
    const match = request.method === 'POST' ? WEBHOOK_PATH.exec(request.url ?? '') : null;
    if (!match) {
      next(request, response);
      return;
    }
    void answer(request, response, match[1]!);
  };

  async function answer(request: IncomingMessage, response: ServerResponse, name: string): Promise<void> {
    try {
      const accepted = await accept(name, nodeHeaders(request), (limit, declared, budget) =>
        readNodeBody(request, limit, declared, budget),
      );
      send(
        response,
        accepted.status,
        accepted.body,
        accepted.location ? { location: accepted.location } : undefined,
      );
    } catch (error) {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const failure = answerFor(error, 'webhook');
      // As the gateway's onError logs them: a bug once as an error, a client gone at debug.
      if (failure.code === 'INTERNAL' && failure !== error)
        deps.log.error({ err: error }, 'webhook handling failed');
      else if (failure.code === 'CLIENT_CLOSED')
        deps.log.debug({ path: request.url }, 'the client closed the request');
      sendError(response, failure, request.complete);
    }
  }
}

/**
 * `http.createServer` with the webhook listener in front of the one it is
 * given: for @hono/node-server's `createServer` option.
 */
export function serverWithWebhookListener(deps: GatewayDeps): typeof createServer {
  const create = (options: ServerOptions, listener: RequestListener) =>
    createServer(options, webhookListener(deps, listener));
  // The option is typed as the whole overloaded createServer; @hono/node-server calls it with (options, listener).
  return create as unknown as typeof createServer;
}

function send(response: ServerResponse, status: number, body: object, extra?: Record<string, string>) {
  const text = JSON.stringify(body);
  response
    .writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...extra,
    })
    .end(text);
}

/**
 * The JSON answer for an error, as errorResponse (errors.ts) gives it. A
 * body still arriving (refused before it was read) ends the connection
 * with the answer, rather than being read for nothing.
 */
function sendError(response: ServerResponse, error: AnswerableError, bodyRead: boolean) {
  const seconds =
    error.retryAfterSeconds ?? (error.retryAfterMs === undefined ? undefined : error.retryAfterMs / 1000);
  const extra: Record<string, string> = {};
  if (seconds !== undefined) extra['retry-after'] = String(Math.max(1, Math.ceil(seconds)));
  if (!bodyRead) extra.connection = 'close';
  send(
    response,
    HTTP_ERROR_STATUS[error.code],
    { error: { code: error.code, message: error.message } },
    extra,
  );
}
