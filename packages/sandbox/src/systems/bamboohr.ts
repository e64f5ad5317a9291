import { type Context, Hono } from 'hono';
import { defineSystem } from '../system';
import { BambooDirectory } from './bamboohr/directory';
import { encodeCursor, listEmployees, readListQuery } from './bamboohr/list';

/**
 * BambooHR's REST API v1 under
 * `/bamboohr/api/gateway.php/{companyDomain}/v1` (any company domain reaches
 * the same seeded company, Acme). HTTP Basic auth with the API key as user
 * name (any non-empty key is accepted). Errors are a status with the reason
 * in the `X-BambooHR-Error-Message` header, as BambooHR sends them.
 *
 * - `GET /employees`: the cursor-paged list (`fields`, `filter[...]`, `sort`, `page[limit]`, `page[after]`)
 * - `GET /employees/directory`: the classic directory
 * - `GET /employees/{id}?fields=a,b`: one employee
 * - `POST /employees/{id}`: update fields (an `employee.updated` effect)
 */
export const bamboohrSystem = defineSystem({
  name: 'bamboohr',
  prefix: '/bamboohr',
  description: 'BambooHR REST API v1 at /api/gateway.php/{companyDomain}/v1 (HTTP Basic, API key as user)',
  create(state) {
    const directory = new BambooDirectory();
    state.onReset(() => directory.reset());
    const app = new Hono();
    const v1 = new Hono();

    v1.use('*', async (c, next) => {
      if (!basicUser(c.req.header('authorization'))) {
        return bambooError(c, 401, 'Invalid API key: send it as the HTTP Basic user name, with any password');
      }
      await next();
    });

    v1.get('/employees', (c) => {
      const url = new URL(c.req.url);
      const query = readListQuery(url);
      if ('error' in query) return bambooError(c, 400, query.error);
      const page = listEmployees(directory, query);
      if (!page.ok) return bambooError(c, 400, page.message);
      const link = (offset: number, key: 'after' | 'before') => {
        const next = new URL(url);
        next.searchParams.delete('page[after]');
        next.searchParams.delete('page[before]');
        next.searchParams.set(`page[${key}]`, encodeCursor(offset));
        return { href: next.toString() };
      };
      const nextCursor = page.next === undefined ? null : encodeCursor(page.next);
      const prevCursor = page.prev === undefined ? null : encodeCursor(page.prev);
      return c.json({
        data: page.data,
        meta: { total: page.total, page: { limit: query.limit, nextCursor, prevCursor } },
        _links: {
          self: { href: url.toString() },
          ...(page.next === undefined ? {} : { next: link(page.next, 'after') }),
          ...(page.prev === undefined ? {} : { prev: link(page.prev, 'before') }),
        },
      });
    });

    v1.get('/employees/directory', (c) => {
      const fields = ['displayName', 'firstName', 'lastName', 'preferredName', 'jobTitle', 'workPhone'];
      const more = ['mobilePhone', 'workEmail', 'department', 'location', 'division', 'supervisor'];
      return c.json({
        fields: [...fields, ...more].map((id) => ({ id, type: 'text', name: id })),
        employees: directory
          .all()
          .filter((e) => e.status === 'Active')
          .map((e) => ({
            id: e.id,
            ...Object.fromEntries([...fields, ...more].map((f) => [f, directory.read(e, f)])),
            photoUploaded: false,
            photoUrl: `https://images.bamboohr.example/photos/${e.id}.jpg`,
            canUploadPhoto: 1,
          })),
      });
    });

    v1.get('/employees/:id', (c) => {
      const employee = directory.get(c.req.param('id'));
      if (!employee) return bambooError(c, 404, `Employee ${c.req.param('id')} not found`);
      const fields = (c.req.query('fields') ?? '')
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean);
      const unknown = directory.unknownFields(fields);
      if (unknown.length > 0) return bambooError(c, 400, `Unknown field(s): ${unknown.join(', ')}`);
      return c.json({
        id: employee.id,
        ...Object.fromEntries(fields.map((f) => [f, directory.read(employee, f)])),
      });
    });

    v1.post('/employees/:id', async (c) => {
      const body = await c.req.json().catch(() => undefined);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        return bambooError(c, 400, 'The body must be a JSON object of field names to values');
      }
      const id = c.req.param('id');
      const outcome = directory.update(id, body as Record<string, unknown>);
      if ('message' in outcome) return bambooError(c, outcome.status, outcome.message);
      state.effect('bamboohr', 'employee.updated', id, { fields: body as Record<string, unknown> });
      return c.body(null, 200);
    });

    app.route('/api/gateway.php/:companyDomain/v1', v1);
    return app;
  },
});

function bambooError(c: Context, status: 400 | 401 | 404, message: string) {
  c.header('X-BambooHR-Error-Message', message);
  return c.body(null, status);
}

/** The user name of an HTTP Basic `Authorization` header, when there is one. */
function basicUser(header: string | undefined): string | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const user = decoded.split(':')[0];
  return user ? user : undefined;
}
