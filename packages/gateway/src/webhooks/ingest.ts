import { type CloudEvent, parseDuration } from '@baton/runtime';
import { isTracing } from '@baton/sdk/host';
import { Hono } from 'hono';
import type { GatewayDeps } from '../deps';
import { GatewayError } from '../errors';
import { DEFAULT_HTTP_LIMITS } from '../http-limits';
import { answerFor } from '../on-error';
import { backlogGuard } from './backlog';
import { BodyBudget } from './body-budget';
import { bodyEventId } from './body-event-id';
import { DEFAULT_MAX_BODY_DEPTH } from './json-depth';
import { parseBody } from './parse-body';
import { readBody } from './read-body';
import { requestHeaders } from './request-headers';
import { schemeFor } from './schemes/index';
import { syncAnswer } from './sync-response';
import { noteEvent, traceWebhook } from './trace-webhook';

/**
 * `POST /webhooks/:source`: source lookup → body read within the limit →
 * signature check on the raw bytes → rate limit → parse by content type →
 * event id and type → dedup and durable record (the engine's dispatch) →
 * 202 (or 200 for a duplicate, or the run's result for a sync flow).
 */
export function webhookRoutes(deps: GatewayDeps) {
  const app = new Hono();
  const schemes = new Map(
    [...deps.hub.sources].map(([name, source]) => [name, schemeFor(source.config.verify)]),
  );
  const backlog = backlogGuard(deps);
  const bodyBudget = deps.bodyBudget ?? new BodyBudget(DEFAULT_HTTP_LIMITS.maxBodyBytesInFlight);
  const tracing = isTracing();
  if (tracing) app.use('/:source', traceWebhook());

  app.post('/:source', async (c) => {
    const name = c.req.param('source');
    const outcome = (label: string) =>
      deps.metrics.webhook(deps.hub.sources.has(name) ? name : 'unknown', label);
    try {
      if (deps.draining())
        throw new GatewayError('SHUTTING_DOWN', 'the gateway is shutting down', { retryAfterSeconds: 5 });
      const source = deps.hub.sources.get(name);
      const scheme = schemes.get(name);
      if (!source || !scheme) throw new GatewayError('SOURCE_NOT_FOUND', `no source "${name}" is configured`);

      const headers = requestHeaders(c);
      const raw = await readBody(
        c,
        source.config.maxBodySize ?? deps.bodyLimit,
        headers.get('content-length'),
        bodyBudget,
      );
      const verify = source.config.verify;
      const toleranceMs =
        'tolerance' in verify && verify.tolerance ? parseDuration(verify.tolerance) : deps.toleranceMs;
      const meta = scheme.verify({
        headers,
        raw,
        secrets: source.secrets,
        toleranceMs,
        now: deps.now(),
      });

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
      if (result.duplicate) {
        outcome('duplicate');
        return c.json(
          { eventId: result.eventId, runs: result.runs, ...resumedOf(result), duplicate: true },
          200,
        );
      }
      outcome('accepted');
      const waiting = syncAnswer(deps, result.runs);
      const sync = waiting && (await waiting);
      if (sync?.ended) return c.json(sync.body as object, 200);
      if (sync && !sync.ended) {
        // The sync flow did not end in time: answer like any webhook, with where to look.
        c.header('Location', `/api/runs/${result.runs[0]!.runId}`);
        const runs = result.runs.map((r) => ({ ...r, statusUrl: `/api/runs/${r.runId}` }));
        return c.json({ eventId: result.eventId, runs, ...resumedOf(result) }, 202);
      }
      return c.json({ eventId: result.eventId, runs: result.runs, ...resumedOf(result) }, 202);
    } catch (error) {
      // Counted from the same answer the gateway's onError gives the sender, which answers it.
      outcome(answerFor(error, 'webhook').code.toLowerCase());
      throw error;
    }
  });
  return app;
}

/** The waiting steps an event ended, as the answer lists them: present only when there are some. */
function resumedOf(result: { resumed?: Array<{ flow: string; runId: string; step: string }> }) {
  return result.resumed && result.resumed.length > 0 ? { resumed: result.resumed } : {};
}
