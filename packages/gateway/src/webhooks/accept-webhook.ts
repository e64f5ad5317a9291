import { type CloudEvent, parseDuration } from '@baton/runtime';
import { isTracing } from '@baton/sdk/host';
import type { GatewayDeps } from '../deps';
import { GatewayError } from '../errors';
import { DEFAULT_HTTP_LIMITS } from '../http-limits';
import { answerFor } from '../on-error';
import { backlogGuard } from './backlog';
import { BodyBudget } from './body-budget';
import { bodyEventId } from './body-event-id';
import { DEFAULT_MAX_BODY_DEPTH } from './json-depth';
import { parseBody } from './parse-body';
import type { HeaderReader } from './request-headers';
import { schemeFor } from './schemes/index';
import { syncAnswer } from './sync-response';
import { noteEvent } from './trace-webhook';

/** What a webhook is answered when it succeeds: 202 (or 200 for a duplicate or a sync flow's result). */
export interface WebhookAnswer {
  status: 200 | 202;
  body: object;
  /** Where to look for a sync flow's run that did not end in time. */
  location?: string;
}

/** Reads the request's body within `limit` bytes, counting it against `budget` (see read-body.ts). */
export type ReadWebhookBody = (limit: number, declared: string | null, budget: BodyBudget) => Promise<Buffer>;

/**
 * Accepts one webhook for the source `name`: source lookup → body read
 * within the limit → signature check on the raw bytes → rate limit → parse
 * by content type → event id and type → dedup and durable record (the
 * engine's dispatch) → its answer. Throws what the sender must be answered
 * otherwise (see on-error.ts), having counted the outcome either way.
 */
export type AcceptWebhook = (
  name: string,
  headers: HeaderReader,
  read: ReadWebhookBody,
) => Promise<WebhookAnswer>;

const acceptors = new WeakMap<GatewayDeps, AcceptWebhook>();

/**
 * The gateway's one webhook acceptor, shared by the Hono route and the
 * Node listener in front of it (webhook-listener.ts), so both keep one
 * backlog reading and one body budget.
 */
export function webhookAcceptor(deps: GatewayDeps): AcceptWebhook {
  let accept = acceptors.get(deps);
  if (!accept) {
    accept = makeAcceptor(deps);
    acceptors.set(deps, accept);
  }
  return accept;
}

function makeAcceptor(deps: GatewayDeps): AcceptWebhook {
  const schemes = new Map(
    [...deps.hub.sources].map(([name, source]) => [name, schemeFor(source.config.verify)]),
  );
  const backlog = backlogGuard(deps);
  const bodyBudget = deps.bodyBudget ?? new BodyBudget(DEFAULT_HTTP_LIMITS.maxBodyBytesInFlight);

  const tracing = isTracing();

  return async function accept(name, headers, read) {
    try {
      if (deps.draining())
        throw new GatewayError('SHUTTING_DOWN', 'the gateway is shutting down', { retryAfterSeconds: 5 });
      const source = deps.hub.sources.get(name);
      const scheme = schemes.get(name);
      if (!source || !scheme) throw new GatewayError('SOURCE_NOT_FOUND', `no source "${name}" is configured`);

      const raw = await read(
        source.config.maxBodySize ?? deps.bodyLimit,
        headers.get('content-length'),
        bodyBudget,
      );
      const verify = source.config.verify;
      const toleranceMs =
        'tolerance' in verify && verify.tolerance ? parseDuration(verify.tolerance) : deps.toleranceMs;
      const meta = scheme.verify({ headers, raw, secrets: source.secrets, toleranceMs, now: deps.now() });

      if (source.config.rateLimit) {
        const { requests, per } = source.config.rateLimit;
        const taken = await deps.backend.limiter.take(`source:${name}`, requests, parseDuration(per));
        if (!taken.allowed) {
          throw new GatewayError(
            'RATE_LIMITED',
            `source "${name}" is over its rate limit of ${requests} per ${per}`,
            {
              retryAfterSeconds: taken.retryAfterMs / 1000,
            },
          );
        }
      }

      const body = parseBody(raw, headers.get('content-type'), {
        maxDepth: source.config.maxBodyDepth ?? DEFAULT_MAX_BODY_DEPTH,
      });
      const identity = scheme.identify(meta, body.value, raw);
      // From the signed body when the source says so: a delivery header is not signed by every scheme.
      const eventId =
        source.config.eventIdFromBody === undefined
          ? identity.id
          : bodyEventId(body.value, source.config.eventIdFromBody);
      if (!eventId)
        throw new GatewayError('EVENT_ID_MISSING', `the ${verify.scheme} request carries no event id`);
      if (!identity.type)
        throw new GatewayError('EVENT_TYPE_MISSING', `the ${verify.scheme} request carries no event type`);
      const reading = backlog.check();
      if (reading) await reading;

      const event: CloudEvent = {
        specversion: '1.0',
        id: eventId,
        source: name,
        type: identity.type,
        time: identity.time ?? new Date(deps.now()).toISOString(),
        data: body.value,
      };
      if (tracing) noteEvent(event);
      const result = await deps.engine.dispatch(
        event,
        body.json === undefined ? {} : { dataJson: body.json },
      );
      const resumed = result.resumed && result.resumed.length > 0 ? { resumed: result.resumed } : {};
      if (result.duplicate) {
        deps.metrics.webhook(name, 'duplicate');
        return {
          status: 200,
          body: { eventId: result.eventId, runs: result.runs, ...resumed, duplicate: true },
        };
      }
      deps.metrics.webhook(name, 'accepted');
      const waiting = syncAnswer(deps, result.runs);
      const sync = waiting && (await waiting);
      if (sync?.ended) return { status: 200, body: sync.body as object };
      if (sync && !sync.ended) {
        // The sync flow did not end in time: answer like any webhook, with where to look.
        const runs = result.runs.map((r) => ({ ...r, statusUrl: `/api/runs/${r.runId}` }));
        return {
          status: 202,
          body: { eventId: result.eventId, runs, ...resumed },
          location: `/api/runs/${result.runs[0]!.runId}`,
        };
      }
      return { status: 202, body: { eventId: result.eventId, runs: result.runs, ...resumed } };
    } catch (error) {
      // Counted from the same answer the sender gets (the gateway's onError, or the listener's).
      const label = answerFor(error, 'webhook').code.toLowerCase();
      deps.metrics.webhook(deps.hub.sources.has(name) ? name : 'unknown', label);
      throw error;
    }
  };
}
