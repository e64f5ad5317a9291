import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { GatewayDeps } from '../deps';
import { GatewayError } from '../errors';
import { authErrors, json } from './openapi-common';
import { ErrorBody } from './schemas';

/** How many of a flow's latest runs `GET /flows/{id}/versions` reads for the versions they ran. */
const RUNS_READ = 100;

const VersionSeen = z.object({
  version: z.string(),
  current: z.boolean(),
  runs: z
    .number()
    .int()
    .openapi({ description: 'Runs of this version among the latest 100 runs of the flow.' }),
  lastRunAt: z.string().nullable().openapi({ description: 'When the latest of them was created.' }),
});

export const FlowVersions = z
  .object({
    id: z.string(),
    current: z.string().openapi({ description: 'The version new runs start on.' }),
    versions: z
      .array(VersionSeen)
      .openapi({ description: 'The current version first, then the newest seen first.' }),
  })
  .openapi('FlowVersions');

export const FlowVersionDetail = z
  .object({
    id: z.string(),
    version: z.string(),
    current: z.boolean(),
    definition: z.unknown().openapi({ description: 'The flow as that version defined it.' }),
  })
  .openapi('FlowVersionDetail');

const params = {
  id: z.string().openapi({ param: { name: 'id', in: 'path' } }),
  version: z.string().openapi({ param: { name: 'version', in: 'path' } }),
};

/**
 * The versions of a flow, for the dashboard's diff: `GET /flows/{id}/versions`
 * (the current one and those the flow's latest runs ran) and
 * `GET /flows/{id}/versions/{version}` (a version's definition, kept while
 * runs of it are).
 */
export function registerFlowVersionRoutes(app: OpenAPIHono, deps: GatewayDeps): void {
  const { engine } = deps;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/flows/{id}/versions',
      summary: 'The versions of a flow: the current one and those its latest runs ran',
      request: { params: z.object({ id: params.id }) },
      responses: {
        200: json(FlowVersions, 'The versions'),
        404: json(ErrorBody, 'No such flow'),
        ...authErrors,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const flow = engine.flows.get(id);
      if (!flow) throw new GatewayError('FLOW_NOT_FOUND', `no flow "${id}"`);
      const { runs } = await engine.listRuns({ flow: id, limit: RUNS_READ });
      // Summaries do not carry the version: read the runs (at most RUNS_READ of them).
      const records = await Promise.all(runs.map((r) => engine.getRun(r.id)));
      const seen = new Map<string, { runs: number; lastRunAt: string | null }>([
        [flow.version, { runs: 0, lastRunAt: null }],
      ]);
      for (const run of records) {
        if (!run?.flowVersion) continue;
        const entry = seen.get(run.flowVersion) ?? { runs: 0, lastRunAt: null };
        entry.runs += 1;
        if (!entry.lastRunAt || run.createdAt > entry.lastRunAt) entry.lastRunAt = run.createdAt;
        seen.set(run.flowVersion, entry);
      }
      const versions = [...seen]
        .map(([version, entry]) => ({ version, current: version === flow.version, ...entry }))
        .sort(
          (a, b) =>
            Number(b.current) - Number(a.current) || (b.lastRunAt ?? '').localeCompare(a.lastRunAt ?? ''),
        );
      return c.json({ id, current: flow.version, versions }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/flows/{id}/versions/{version}',
      summary: 'One version of a flow: its definition, while it is current or runs of it are kept',
      request: { params: z.object(params) },
      responses: {
        200: json(FlowVersionDetail, 'The version'),
        404: json(ErrorBody, 'No such flow or version'),
        ...authErrors,
      },
    }),
    async (c) => {
      const { id, version } = c.req.valid('param');
      const current = engine.flows.get(id);
      const definition = current?.version === version ? current.flow : await engine.flowVersion(id, version);
      if (!definition)
        throw new GatewayError('FLOW_NOT_FOUND', `no version "${version}" of flow "${id}" is kept`);
      return c.json({ id, version, current: current?.version === version, definition }, 200);
    },
  );
}
