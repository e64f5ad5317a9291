import type { Context } from 'hono';
import type { GatewayDeps } from './deps';
import { type AnswerableError, errorResponse, GatewayError } from './errors';
import { type Asker, knownFailure } from './known-failure';

/** Who asked, from the path: a webhook's sender is told its event was not recorded. */
function askerOf(c: Context): Asker {
  return c.req.path.startsWith('/webhooks/') ? 'webhook' : 'request';
}

/**
 * What the gateway answers for an error thrown while handling a request:
 * the known failure, or 500 INTERNAL for anything else (a bug). Pure, so
 * the webhook route can count its outcome from the same answer the client
 * gets.
 */
export function answerFor(error: unknown, asker: Asker): AnswerableError {
  return (
    knownFailure(error, asker) ??
    new GatewayError(
      'INTERNAL',
      asker === 'webhook'
        ? 'the webhook could not be handled; nothing was recorded'
        : 'the request failed; see the gateway log',
    )
  );
}

/**
 * The gateway's one error handler (`app.onError`): every error a route or
 * middleware throws, in any sub-app, becomes `{ error: { code, message } }`
 * with the status of its code here. A bug is logged once, as an error; a
 * client that went away is no failure of ours: not an error line, but
 * traceable at debug.
 */
export function onGatewayError(deps: Pick<GatewayDeps, 'log'>) {
  return (error: Error, c: Context): Response => {
    const asker = askerOf(c);
    const answer = answerFor(error, asker);
    if (answer.code === 'INTERNAL' && answer !== error) {
      const what =
        asker === 'webhook'
          ? 'webhook handling'
          : c.req.path.startsWith('/api/')
            ? 'admin API request'
            : 'request';
      deps.log.error({ err: error }, `${what} failed`);
    } else if (answer.code === 'CLIENT_CLOSED') {
      deps.log.debug({ path: c.req.path }, 'the client closed the request');
    }
    return errorResponse(c, answer);
  };
}
