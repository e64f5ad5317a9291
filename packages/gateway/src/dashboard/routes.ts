import { type Context, Hono } from 'hono';
import type { GatewayDeps } from '../deps';
import { GatewayError } from '../errors';
import { dashboardAssetLoader } from './assets';
import { DASHBOARD_HEADERS, DASHBOARD_SHELL } from './shell';

/**
 * The operator dashboard under `/dashboard`: its bundle under `/assets/`
 * and the shell page at every other address (the browser routes pages
 * itself). Neither holds data, so neither needs the API token.
 */
export function dashboardRoutes(deps: GatewayDeps) {
  const app = new Hono();
  const assets = dashboardAssetLoader();

  app.use('*', async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(DASHBOARD_HEADERS)) c.header(name, value);
  });

  app.get('/assets/:name', async (c) => {
    let files: Awaited<ReturnType<typeof assets>>;
    try {
      files = await assets();
    } catch (error) {
      deps.log.error({ err: error }, 'the dashboard bundle could not be loaded');
      throw new GatewayError(
        'DASHBOARD_UNAVAILABLE',
        'the dashboard bundle is unavailable; see the gateway log',
      );
    }
    const asset = files.get(c.req.param('name'));
    if (!asset) throw new GatewayError('NOT_FOUND', `no dashboard file ${c.req.path}`);
    c.header('etag', asset.etag);
    // Revalidated on each load (the ETag makes that a 304), so an upgraded gateway never serves an old bundle.
    c.header('cache-control', 'no-cache');
    c.header('vary', 'accept-encoding');
    if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304);
    c.header('content-type', asset.type);
    if (asset.gzip && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
      c.header('content-encoding', 'gzip');
      return c.body(asset.gzip as Uint8Array<ArrayBuffer>, 200);
    }
    return c.body(asset.body as Uint8Array<ArrayBuffer>, 200);
  });

  const shell = (c: Context) => {
    c.header('cache-control', 'no-cache');
    return c.html(DASHBOARD_SHELL);
  };
  app.get('/', shell);
  app.get('/*', shell);
  return app;
}
