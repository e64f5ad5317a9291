import { createHubReloader, type HubReloader } from '@baton/runtime';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { GatewayDeps } from '../deps';
import { authErrors, json } from './openapi-common';

const FlowVersion = z.object({ id: z.string(), version: z.string() });

const ReloadAnswer = z
  .object({
    flows: z
      .array(FlowVersion)
      .openapi({ description: 'Every flow now current for new runs, with its version.' }),
    restartNeeded: z.array(z.string()).optional().openapi({
      description:
        'What changed in baton.config.json that only a restart applies, as config paths (`connectors.payment`, `sources.shop`, `retention`); absent when nothing.',
    }),
  })
  .openapi('ReloadAnswer');

const ReloadRefused = z
  .object({
    error: z.object({
      code: z.literal('RELOAD_INVALID'),
      message: z.string(),
      diagnostics: z
        .array(z.string())
        .openapi({ description: '`file:line:col message [CODE]`, as baton validate prints them.' }),
    }),
  })
  .openapi('ReloadRefused');

/**
 * The process's one reloader: made on first use over the gateway's hub and
 * engine unless the process gave one (`startGateway` does, to share it with
 * SIGHUP). Each reload's hub becomes `deps.hub`, which the routes read.
 */
export function gatewayReloader(deps: GatewayDeps): HubReloader {
  deps.reloader ??= createHubReloader(deps.hub, deps.engine, {
    onReloaded: (hub) => {
      deps.hub = hub;
    },
  });
  return deps.reloader;
}

/**
 * `POST /reload` on the admin API: reads baton.config.json and the flow
 * files again and makes their flows current for new runs (in every process
 * on Redis); runs in flight keep their versions. An invalid change is
 * refused with 400 RELOAD_INVALID and its diagnostics, and nothing changes.
 */
export function registerReloadRoutes(app: OpenAPIHono, deps: GatewayDeps): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/reload',
      summary: 'Reload the config and flow files without a restart',
      responses: {
        200: json(ReloadAnswer, 'The flows now current, and what needs a restart'),
        400: json(ReloadRefused, 'The files do not check out; nothing changed'),
        ...authErrors,
      },
    }),
    async (c) => {
      const outcome = await gatewayReloader(deps).reload();
      if (!outcome.ok) {
        deps.log.warn({ diagnostics: outcome.diagnostics }, 'reload refused: the files do not check out');
        const count = outcome.diagnostics.length;
        return c.json(
          {
            error: {
              code: 'RELOAD_INVALID' as const,
              message: `the config or flow files have ${count} problem${count === 1 ? '' : 's'}; nothing was reloaded`,
              diagnostics: outcome.diagnostics,
            },
          },
          400,
        );
      }
      deps.log.info({ flows: outcome.flows, restartNeeded: outcome.restartNeeded }, 'reloaded');
      return c.json(
        {
          flows: outcome.flows,
          ...(outcome.restartNeeded.length > 0 ? { restartNeeded: outcome.restartNeeded } : {}),
        },
        200,
      );
    },
  );
}
