import { flowToMermaid } from '@baton/runtime';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { GatewayDeps } from '../deps';
import { GatewayError } from '../errors';
import { assertDepth, flowDepthLimit } from '../webhooks/json-depth';
import { registerAnalyticsRoutes } from './analytics-routes';
import { registerConnectorHealthRoutes } from './connector-health-routes';
import { registerFailureRoutes } from './failure-routes';
import { registerFlowVersionRoutes } from './flow-version-routes';
import { registerHubRoutes } from './hub-routes';
import { jsonAnswer } from './json-answer';
import { describeIssues, readJsonBody } from './json-body';
import { authErrors, documentedBodyRoute, json } from './openapi-common';
import { presentRun, presentSummary } from './present';
import { registerReloadRoutes } from './reload-routes';
import { registerReplayRoutes } from './replay-routes';
import {
  ConnectorInfo,
  DecisionBody,
  ErrorBody,
  FlowDetail,
  FlowSummary,
  ReplayAnswer,
  ReplayBody,
  Run,
  RunId,
  RunsPage,
  RunsQuery,
  TriggerBody,
} from './schemas';

const errors = authErrors;
const IdParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });

/** Who did it, for the audit trail: the `X-Baton-Actor` header, else `api`. */
function actorOf(c: Context): string {
  const given = c.req.header('x-baton-actor')?.trim();
  return given ? given.slice(0, 200) : 'api';
}

/**
 * The admin API under `/api`: flows, connectors, runs, trigger, replay,
 * cancel, the dashboard's status, activity, diagnostics and live events,
 * and `/api/openapi.json` generated from the same zod schemas.
 */
export function apiRoutes(deps: GatewayDeps) {
  const app = new OpenAPIHono({
    // Thrown, like every refusal, for the gateway's one onError to answer.
    defaultHook: (result) => {
      if (!result.success)
        throw new GatewayError('REQUEST_INVALID', describeIssues(result.target, result.error));
      return undefined;
    },
  });
  const { engine, hub } = deps;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/flows',
      summary: 'List the loaded flows',
      responses: { 200: json(z.object({ flows: z.array(FlowSummary) }), 'The flows'), ...errors },
    }),
    (c) =>
      c.json(
        {
          flows: [...engine.flows.values()].map((f) => ({
            id: f.id,
            name: f.flow.name ?? null,
            description: f.flow.description ?? null,
            trigger: f.flow.trigger ?? null,
            steps: f.main.length,
            file: deps.hub.flowFiles.get(f.id) ?? null,
          })),
        },
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/flows/{id}',
      summary: 'One flow, its definition and its graph',
      request: { params: IdParam },
      responses: { 200: json(FlowDetail, 'The flow'), 404: json(ErrorBody, 'No such flow'), ...errors },
    }),
    (c) => {
      const flow = engine.flows.get(c.req.valid('param').id);
      if (!flow) throw new GatewayError('FLOW_NOT_FOUND', `no flow "${c.req.valid('param').id}"`);
      return c.json(
        {
          id: flow.id,
          version: flow.version,
          file: deps.hub.flowFiles.get(flow.id) ?? null,
          definition: flow.flow,
          graph: flowToMermaid(flow.flow),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/connectors',
      summary: 'The connector instances, their actions, breaker states and credentials',
      responses: { 200: json(z.object({ connectors: z.array(ConnectorInfo) }), 'The connectors'), ...errors },
    }),
    async (c) => {
      const breakers = await engine.breakerStates();
      const credentials = await Promise.all(
        [...hub.instances.keys()].map((name) => deps.health.credentials(name)),
      );
      const connectors = [...hub.instances.values()].map((instance, i) => {
        const breaker = breakers[instance.name];
        return {
          name: instance.name,
          use: hub.config.connectors?.[instance.name]?.use ?? '',
          connector: instance.connector.name,
          version: instance.connector.version ?? null,
          description: instance.connector.description ?? null,
          actions: Object.entries(instance.connector.actions).map(([name, action]) => ({
            name,
            description: action.description ?? null,
          })),
          breaker: {
            state: breaker?.state ?? 'closed',
            failures: breaker?.failures ?? 0,
            openedAt: breaker?.openedAt !== undefined ? new Date(breaker.openedAt).toISOString() : null,
          },
          credentials: credentials[i]!,
        };
      });
      return c.json({ connectors }, 200);
    },
  );

  app.openapi(
    documentedBodyRoute(
      app,
      createRoute({
        method: 'post',
        path: '/flows/{id}/trigger',
        summary: 'Start a flow by hand',
        request: {
          params: IdParam,
          body: { content: { 'application/json': { schema: TriggerBody } }, required: false },
        },
        responses: {
          202: json(RunId, 'The run was queued'),
          400: json(ErrorBody, 'The body is not JSON, or not { "data": ... }'),
          404: json(ErrorBody, 'No such flow'),
          413: json(ErrorBody, 'The body is over the limit'),
          415: json(ErrorBody, 'The body is not application/json'),
          ...errors,
        },
      }),
    ),
    async (c) => {
      const body = await readJsonBody(c, TriggerBody, { limit: deps.bodyLimit, optional: true });
      assertDepth(body.data, flowDepthLimit(deps, c.req.valid('param').id), 'data');
      const result = await engine.trigger(c.req.valid('param').id, body.data ?? {}, {
        actor: actorOf(c),
      });
      return c.json(result, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/runs',
      summary: 'Runs, newest first',
      request: { query: RunsQuery },
      responses: { 200: json(RunsPage, 'A page of runs'), 400: json(ErrorBody, 'Bad query'), ...errors },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await engine.listRuns({
        ...(query.flow ? { flow: query.flow } : {}),
        ...(query.status ? { status: query.status } : {}),
        // Normalised: the stores compare it with each run's createdAt as text.
        ...(query.since ? { since: new Date(query.since).toISOString() } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
        limit: query.limit ?? 50,
      });
      return c.json({ runs: page.runs.map(presentSummary), next: page.next ?? null }, 200);
    },
  );

  registerFailureRoutes(app, deps);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/runs/{id}',
      summary: 'One run with its steps and attempts',
      request: { params: IdParam },
      responses: { 200: json(Run, 'The run'), 404: json(ErrorBody, 'No such run'), ...errors },
    }),
    async (c) => {
      const run = await engine.getRun(c.req.valid('param').id);
      if (!run) throw new GatewayError('RUN_NOT_FOUND', `no run "${c.req.valid('param').id}"`);
      return jsonAnswer(c, presentRun(run)) as never;
    },
  );

  app.openapi(
    documentedBodyRoute(
      app,
      createRoute({
        method: 'post',
        path: '/runs/{id}/replay',
        summary: "Replay a failed or cancelled run's event, reusing the outputs of the steps that succeeded",
        request: {
          params: IdParam,
          body: { content: { 'application/json': { schema: ReplayBody } }, required: false },
        },
        responses: {
          202: json(ReplayAnswer, 'The new run was queued, or the run that already replays this one'),
          400: json(ErrorBody, 'The body is not JSON, or not { on?, fromStep? }'),
          404: json(ErrorBody, "No such run, no such step, or the run's own version is no longer kept"),
          409: json(ErrorBody, 'The run is not failed or cancelled'),
          ...errors,
        },
      }),
    ),
    async (c) => {
      const body = await readJsonBody(c, ReplayBody, { limit: deps.bodyLimit, optional: true });
      const options = {
        actor: actorOf(c),
        ...(body.on ? { on: body.on } : {}),
        ...(body.fromStep ? { fromStep: body.fromStep } : {}),
      };
      return c.json(await engine.replay(c.req.valid('param').id, options), 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/runs/{id}/cancel',
      summary: 'Cancel a run that has not ended',
      request: { params: IdParam },
      responses: {
        200: json(Run, 'The cancelled run'),
        404: json(ErrorBody, 'No such run'),
        409: json(ErrorBody, 'The run already ended'),
        ...errors,
      },
    }),
    async (c) => {
      const run = await engine.cancel(c.req.valid('param').id, { actor: actorOf(c) });
      return jsonAnswer(c, presentRun(run)) as never;
    },
  );

  app.openapi(
    documentedBodyRoute(
      app,
      createRoute({
        method: 'post',
        path: '/runs/{id}/steps/{step}/decision',
        summary: 'Approve or reject an approval step waiting for a decision',
        request: {
          params: z.object({ id: z.string(), step: z.string() }),
          body: { content: { 'application/json': { schema: DecisionBody } }, required: true },
        },
        responses: {
          200: json(Run, 'The run, with the decided step'),
          400: json(ErrorBody, 'The body is not JSON, or not { "decision": "approve" | "reject", … }'),
          404: json(ErrorBody, 'No such run or step'),
          409: json(ErrorBody, 'The step is not waiting for a decision'),
          413: json(ErrorBody, 'The body is over the limit'),
          415: json(ErrorBody, 'The body is not application/json'),
          ...errors,
        },
      }),
    ),
    async (c) => {
      const { id, step } = c.req.valid('param');
      const body = await readJsonBody(c, DecisionBody, { limit: deps.bodyLimit });
      const run = await engine.decide(id, step, {
        decision: body.decision,
        by: body.by ?? actorOf(c),
        ...(body.comment !== undefined ? { comment: body.comment } : {}),
      });
      return jsonAnswer(c, presentRun(run)) as never;
    },
  );

  registerHubRoutes(app, deps);
  registerConnectorHealthRoutes(app, deps);
  registerReloadRoutes(app, deps);
  registerFlowVersionRoutes(app, deps);
  registerAnalyticsRoutes(app, deps);
  registerReplayRoutes(app, deps);

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Baton admin API',
      version: '1',
      description: 'Flows, connectors and runs of a Baton hub.',
    },
    security: [{ bearer: [] }],
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });

  return app;
}
