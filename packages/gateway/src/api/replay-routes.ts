import type { ReplayFilter } from '@baton/runtime';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { GatewayDeps } from '../deps';
import { GatewayError } from '../errors';
import { readJsonBody } from './json-body';
import { authErrors, documentedBodyRoute, json } from './openapi-common';
import { presentSummary } from './present';
import { ErrorBody, RunSummary } from './schemas';

const isoTime = z
  .string()
  .refine((value) => /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value)), {
    error: 'must be an ISO 8601 date, or a date and time with its zone (2026-01-31T12:00:00Z)',
  })
  .openapi({ example: '2026-01-31T12:00:00Z' });

const ReplayFilterSchema = z
  .object({
    flow: z.string().min(1).optional(),
    status: z
      .enum(['failed', 'cancelled'])
      .optional()
      .openapi({ description: 'Only failed or cancelled runs can be replayed. Default: failed.' }),
    since: isoTime.optional().openapi({ description: 'Runs created at or after this time.' }),
    until: isoTime.optional().openapi({ description: 'Runs created before this time.' }),
    errorCode: z.string().min(1).optional().openapi({ description: 'The run’s error code.' }),
    step: z.string().min(1).optional().openapi({ description: 'The step that failed the run.' }),
  })
  .strict()
  .openapi('ReplayFilter');

const BulkReplayBody = z
  .object({
    filter: ReplayFilterSchema.default({}),
    dryRun: z.boolean().default(false),
    rate: z
      .number()
      .min(1)
      .max(1000)
      .optional()
      .openapi({ description: 'Runs replayed per second at most. Default 50.' }),
  })
  .strict()
  .openapi('BulkReplayRequest');

const DryRunAnswer = z
  .object({
    matched: z.number().int().openapi({ description: 'Runs a replay job would replay now.' }),
    alreadyReplayed: z
      .number()
      .int()
      .openapi({ description: 'Runs that match but were replayed already; not counted in matched.' }),
    sample: z.array(RunSummary).openapi({ description: 'The newest matched runs, at most 10.' }),
  })
  .openapi('BulkReplayDryRun');

const JobStarted = z
  .object({
    jobId: z.string(),
    matched: z.number().int(),
    duplicate: z.literal(true).optional().openapi({
      description: 'A job for the same filter was running: this is that job; nothing new started.',
    }),
  })
  .openapi('BulkReplayStarted');

const ReplayJobSchema = z
  .object({
    jobId: z.string(),
    filter: ReplayFilterSchema,
    matched: z.number().int(),
    replayed: z.number().int().openapi({ description: 'Runs this job replayed.' }),
    skipped: z.number().int().openapi({
      description: 'Runs replayed by someone else (or being replayed) when the job reached them.',
    }),
    failed: z
      .number()
      .int()
      .openapi({ description: 'Runs that could not be replayed (gone, flow not loaded).' }),
    status: z.enum(['running', 'done']),
    rate: z.number(),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
  })
  .openapi('ReplayJob');

/** The filter without its absent fields (the engine's types are exact about optional fields). */
function definedOnly(filter: Record<string, string | undefined>): ReplayFilter {
  return Object.fromEntries(
    Object.entries(filter).filter(([, value]) => value !== undefined),
  ) as ReplayFilter;
}

/** Who asked, for the audit trail: the `X-Baton-Actor` header, else `api`. */
function actorOf(c: Context): string {
  const given = c.req.header('x-baton-actor')?.trim();
  return given ? given.slice(0, 200) : 'api';
}

/**
 * Bulk replay on the admin API: `POST /runs/replay` (a dry run, or a replay
 * job over the runs a filter matches) and `GET /replays/:jobId` (its
 * progress). A job replays each matched run at most once, whoever else
 * replays it; the same request while its job runs answers that job.
 */
export function registerReplayRoutes(app: OpenAPIHono, deps: GatewayDeps): void {
  app.openapi(
    documentedBodyRoute(
      app,
      createRoute({
        method: 'post',
        path: '/runs/replay',
        summary: 'Replay every failed run a filter matches (or count them, with dryRun)',
        request: {
          body: { content: { 'application/json': { schema: BulkReplayBody } }, required: true },
        },
        responses: {
          200: json(DryRunAnswer, 'The dry run: what a job would replay'),
          202: json(JobStarted, 'The replay job started (or the one already running for this filter)'),
          400: json(ErrorBody, 'The body is not JSON, or not { "filter": {...}, "dryRun": ... }'),
          413: json(ErrorBody, 'The body is over the limit'),
          415: json(ErrorBody, 'The body is not application/json'),
          ...authErrors,
        },
      }),
    ),
    async (c) => {
      const body = await readJsonBody(c, BulkReplayBody, { limit: deps.bodyLimit });
      const filter = definedOnly({
        ...body.filter,
        // Normalised: the stores compare them with each run's createdAt as text.
        since: body.filter.since && new Date(body.filter.since).toISOString(),
        until: body.filter.until && new Date(body.filter.until).toISOString(),
      });
      const answer = await deps.engine.replayMatching(filter, {
        dryRun: body.dryRun,
        actor: actorOf(c),
        ...(body.rate !== undefined ? { rate: body.rate } : {}),
      });
      if (answer.dryRun) {
        const { matched, alreadyReplayed, sample } = answer;
        return c.json({ matched, alreadyReplayed, sample: sample.map(presentSummary) }, 200);
      }
      const { jobId, matched, duplicate } = answer;
      return c.json({ jobId, matched, ...(duplicate ? { duplicate } : {}) }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/replays/{jobId}',
      summary: 'A bulk replay job and its progress',
      request: { params: z.object({ jobId: z.string() }) },
      responses: {
        200: json(ReplayJobSchema, 'The job'),
        404: json(ErrorBody, 'No such job (or it expired, 7 days after it ended)'),
        ...authErrors,
      },
    }),
    async (c) => {
      const { jobId } = c.req.valid('param');
      const job = await deps.engine.replayJob(jobId);
      if (!job) throw new GatewayError('REPLAY_JOB_NOT_FOUND', `no replay job "${jobId}"`);
      const { actor: _actor, endedAt, ...shown } = job;
      return c.json({ ...shown, endedAt: endedAt ?? null }, 200);
    },
  );
}
