import { type Context, Hono } from 'hono';
import type { SandboxState } from '../state';
import { defineSystem } from '../system';
import { ScimDirectory } from './scim/directory';
import { parseFilter } from './scim/filter';
import { readPatch } from './scim/patch';
import { project, renderGroup, renderUser } from './scim/resources';
import { listResponse, SCIM, ScimError, scimErrorResponse, scimJson } from './scim/schemas';

const MAX_RESULTS = 200;

/**
 * A SCIM 2.0 service provider (RFC 7643/7644) under `/scim/v2`, as Okta and
 * Entra ID provision into: `Users` and `Groups` with filters, paging,
 * PATCH (both vendors' dialects), and the RFC error body with
 * `scimType: "uniqueness"` and 409 on a duplicate `userName`. Any bearer
 * token is accepted. Seeded with the Acme staff of the BambooHR seed (the
 * recent hire not yet provisioned) and the groups engineering, sales and
 * all-staff.
 */
export const scimSystem = defineSystem({
  name: 'scim',
  prefix: '/scim',
  description: 'SCIM 2.0 directory (RFC 7644) at /v2: Users, Groups, filters, PATCH; bearer token',
  errorBody: (status, message) => ({ schemas: [SCIM.error], status: String(status), detail: message }),
  create(state) {
    const directory = new ScimDirectory();
    state.onReset(() => directory.reset());
    const app = new Hono();
    app.route('/v2', scimApi(directory, state));
    return app;
  },
});

function scimApi(directory: ScimDirectory, state: SandboxState) {
  const api = new Hono();
  api.onError((error, c) => {
    if (error instanceof ScimError) return scimErrorResponse(c, error);
    throw error;
  });
  api.use('*', async (c, next) => {
    if (!/^Bearer\s+\S+/i.test(c.req.header('authorization') ?? '')) {
      throw new ScimError(401, 'Authorization failure: send a bearer token');
    }
    await next();
  });

  api.get('/ServiceProviderConfig', (c) =>
    scimJson(c, {
      schemas: [SCIM.serviceProviderConfig],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: MAX_RESULTS },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [
        { type: 'oauthbearertoken', name: 'OAuth Bearer Token', description: 'Any token is accepted' },
      ],
    }),
  );

  api.get('/Users', (c) => {
    const base = baseOf(c);
    return list(
      c,
      [...directory.users.values()].map((u) => renderUser(directory, u, base)),
    );
  });

  api.get('/Users/:id', (c) =>
    scimJson(c, projected(c, renderUser(directory, directory.user(c.req.param('id')), baseOf(c)))),
  );

  api.post('/Users', async (c) => {
    const user = directory.createUser(await body(c));
    const resource = renderUser(directory, user, baseOf(c));
    state.effect('scim', 'user.created', user.id, { userName: user.attributes.userName as string });
    c.header('Location', (resource.meta as { location: string }).location);
    return scimJson(c, resource, 201);
  });

  api.put('/Users/:id', async (c) => {
    const user = directory.replaceUser(c.req.param('id'), await body(c));
    state.effect('scim', 'user.updated', user.id, { userName: user.attributes.userName as string });
    return scimJson(c, renderUser(directory, user, baseOf(c)));
  });

  api.patch('/Users/:id', async (c) => {
    const { user, deactivated } = directory.patchUser(c.req.param('id'), readPatch(await body(c)));
    const kind = deactivated ? 'user.deactivated' : 'user.updated';
    state.effect('scim', kind, user.id, { userName: user.attributes.userName as string });
    return scimJson(c, renderUser(directory, user, baseOf(c)));
  });

  api.delete('/Users/:id', (c) => {
    const id = c.req.param('id');
    directory.deleteUser(id);
    state.effect('scim', 'user.deleted', id);
    return c.body(null, 204);
  });

  api.get('/Groups', (c) => {
    const base = baseOf(c);
    return list(
      c,
      [...directory.groups.values()].map((g) => renderGroup(directory, g, base)),
    );
  });

  api.get('/Groups/:id', (c) =>
    scimJson(c, projected(c, renderGroup(directory, directory.group(c.req.param('id')), baseOf(c)))),
  );

  api.post('/Groups', async (c) => {
    const group = directory.createGroup(await body(c));
    const resource = renderGroup(directory, group, baseOf(c));
    state.effect('scim', 'group.created', group.id, { displayName: group.displayName });
    c.header('Location', (resource.meta as { location: string }).location);
    return scimJson(c, resource, 201);
  });

  // 204 with no body, which both Okta and Entra accept (RFC 7644 §3.5.2 allows it).
  api.patch('/Groups/:id', async (c) => {
    const id = c.req.param('id');
    const { added, removed } = directory.patchGroup(id, readPatch(await body(c)));
    const displayName = directory.group(id).displayName;
    for (const user of added) state.effect('scim', 'group.member_added', id, { displayName, user });
    for (const user of removed) state.effect('scim', 'group.member_removed', id, { displayName, user });
    return c.body(null, 204);
  });

  return api;
}

/** Filters, pages and projects a list into a ListResponse. */
function list(c: Context, resources: Array<Record<string, unknown>>): Response {
  const filterText = c.req.query('filter');
  const matching = filterText ? resources.filter(parseFilter(filterText)) : resources;
  // RFC 7644 §3.4.2.4: a startIndex below 1 is read as 1, a negative count as 0.
  const startIndex = Math.max(1, Number.parseInt(c.req.query('startIndex') ?? '1', 10) || 1);
  const count = Math.min(MAX_RESULTS, Math.max(0, Number.parseInt(c.req.query('count') ?? '100', 10) || 0));
  const page = matching.slice(startIndex - 1, startIndex - 1 + count).map((r) => projected(c, r));
  return scimJson(c, listResponse(page, matching.length, startIndex));
}

function projected(c: Context, resource: Record<string, unknown>) {
  return project(resource, c.req.query('attributes'), c.req.query('excludedAttributes'));
}

async function body(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new ScimError(400, 'The body is not valid JSON', 'invalidSyntax');
  }
}

/** The absolute URL of `/v2` as the client reached it, for `meta.location` and `$ref`. */
function baseOf(c: Context): string {
  const url = new URL(c.req.url);
  return `${url.origin}${url.pathname.slice(0, url.pathname.indexOf('/v2') + 3)}`;
}
