import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { SandboxState } from '../state';
import { defineSystem, type SandboxSystem } from '../system';
import { accountInfoApi, SANDBOX_PORTAL_ID } from './hubspot/account-info';
import { hubspotAuth } from './hubspot/auth';
import { CrmStore, renderRecord } from './hubspot/crm-store';
import { HubspotError, hubspotErrorResponse, hubspotRefusalBody } from './hubspot/errors';
import { normalizeProperties, objectType } from './hubspot/object-types';
import { tenSecondlyRolling } from './hubspot/rate-limit';
import { readSearch } from './hubspot/search';

/** Options of the HubSpot emulator. */
export interface HubspotSystemOptions {
  /**
   * Requests per access token per rolling ten seconds before 429s, as
   * HubSpot's `TEN_SECONDLY_ROLLING` policy (190 is the Professional and
   * Enterprise limit for private apps).
   * @default 190
   */
  tenSecondlyLimit?: number;
  /** The `portalId` of `GET /account-info/v3/details`. @default 62515 */
  portalId?: number;
}

/** Deal-to-contact, HubSpot's `HUBSPOT_DEFINED` association type 3. */
const DEAL_TO_CONTACT = 3;

const association = z.object({
  to: z.object({ id: z.union([z.string(), z.number()]).transform(String) }),
  types: z.array(z.object({ associationCategory: z.string(), associationTypeId: z.number().int() })).min(1),
});
const properties = z.record(z.string(), z.unknown());
const createBody = z.object({ properties, associations: z.array(association).optional() });
const upsertBody = z.object({
  inputs: z
    .array(z.object({ idProperty: z.string().min(1), id: z.string().min(1), properties }))
    .min(1)
    .max(100),
});

/**
 * Builds the HubSpot CRM v3 emulator; `hubspotSystem` is the default one.
 *
 * Under `/hubspot`: `POST /crm/v3/objects/{contacts|deals}` (create, with
 * associations for deals), `.../search`, `.../batch/upsert` (by a unique
 * property such as `email`), `GET` and `PATCH .../{id}` (`idProperty`
 * honoured), and `GET /account-info/v3/details`. Bearer tokens: a static
 * (private app) token is any one without the `sbx-oat-` prefix and is
 * accepted; an OAuth2 token (the prefix) must be live at the sandbox's
 * authority (`oauth` system), else 401 `EXPIRED_AUTHENTICATION`. Errors
 * carry HubSpot's `{ status: "error", message, correlationId, category }`
 * body.
 */
export function createHubspotSystem(options: HubspotSystemOptions = {}): SandboxSystem {
  return defineSystem({
    name: 'hubspot',
    prefix: '/hubspot',
    description:
      'HubSpot CRM v3: contacts and deals (search, batch upsert, associations), account info; bearer token or OAuth2',
    errorBody: hubspotRefusalBody,
    create(state) {
      const store = new CrmStore();
      const limiter = tenSecondlyRolling(options.tenSecondlyLimit ?? 190, {
        standsAside: () => state.limits.limitOf('hubspot') !== undefined,
      });
      state.onReset(() => {
        store.reset();
        limiter.reset();
      });
      const app = new Hono();
      app.onError((error, c) => {
        if (error instanceof HubspotError) return hubspotErrorResponse(c, error);
        throw error;
      });
      app.use('*', hubspotAuth(state));
      app.use('*', limiter.middleware);
      app.route('/crm/v3/objects', objectsApi(store, state));
      app.route('/account-info/v3', accountInfoApi(options.portalId ?? SANDBOX_PORTAL_ID));
      return app;
    },
  });
}

/** The HubSpot emulator with HubSpot's default limits. */
export const hubspotSystem = createHubspotSystem();

function objectsApi(store: CrmStore, state: SandboxState) {
  const api = new Hono();
  const effect = (
    kind: 'created' | 'updated',
    type: string,
    id: string,
    properties: Record<string, unknown>,
  ) => state.effect('hubspot', `${type === 'contacts' ? 'contact' : 'deal'}.${kind}`, id, { properties });

  api.post('/:type/search', async (c) => {
    const type = objectType(c.req.param('type'));
    const search = readSearch(await body(c));
    const found = store.search(type, search);
    return c.json({
      total: found.total,
      results: found.results.map((r) => renderRecord(r, search.properties)),
      ...(found.after ? { paging: { next: { after: found.after } } } : {}),
    });
  });

  api.post('/:type/batch/upsert', async (c) => {
    const type = objectType(c.req.param('type'));
    const { inputs } = parse(upsertBody, await body(c));
    const startedAt = new Date().toISOString();
    const keys = inputs.map((i) => `${i.idProperty}:${i.id.toLowerCase()}`);
    if (new Set(keys).size !== keys.length) {
      throw new HubspotError(400, 'VALIDATION_ERROR', 'Duplicate IDs found in batch input');
    }
    // Check every input first, so a bad one changes nothing.
    for (const input of inputs) {
      normalizeProperties(type, input.properties);
      store.findBy(type, input.idProperty, input.id);
    }
    const results = inputs.map((input) => {
      const existing = store.findBy(type, input.idProperty, input.id);
      const values = { ...input.properties, [input.idProperty]: input.id };
      const record = existing ? store.update(existing, input.properties) : store.create(type, values);
      effect(existing ? 'updated' : 'created', type.name, record.id, values);
      return { ...renderRecord(record, Object.keys(values)), new: !existing };
    });
    return c.json({ status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() });
  });

  api.post('/:type', async (c) => {
    const type = objectType(c.req.param('type'));
    const input = parse(createBody, await body(c));
    const contactIds = (input.associations ?? []).map((a) => {
      const typeIds = a.types.map((t) => t.associationTypeId);
      if (type.name !== 'deals' || typeIds.some((t) => t !== DEAL_TO_CONTACT)) {
        throw new HubspotError(
          400,
          'VALIDATION_ERROR',
          `The sandbox supports deal-to-contact associations (type ${DEAL_TO_CONTACT}) only, got ${typeIds.join(', ')} on ${type.name}`,
        );
      }
      return a.to.id;
    });
    const record = store.create(type, input.properties, contactIds);
    effect('created', type.name, record.id, {
      ...input.properties,
      ...(contactIds.length > 0 ? { associatedContacts: contactIds } : {}),
    });
    return c.json(renderRecord(record, Object.keys(input.properties)), 201);
  });

  api.get('/:type/:id', (c) => {
    const type = objectType(c.req.param('type'));
    const record = store.get(type, c.req.param('id'), c.req.query('idProperty'));
    const rendered = renderRecord(record, propertiesQuery(c));
    const wantsContacts =
      type.name === 'deals' && (c.req.query('associations') ?? '').split(',').includes('contacts');
    if (!wantsContacts) return c.json(rendered);
    const results = store.contactsOf(record.id).map((id) => ({ id, type: 'deal_to_contact' }));
    return c.json({ ...rendered, associations: { contacts: { results } } });
  });

  api.patch('/:type/:id', async (c) => {
    const type = objectType(c.req.param('type'));
    const record = store.get(type, c.req.param('id'), c.req.query('idProperty'));
    const input = parse(z.object({ properties }), await body(c));
    store.update(record, input.properties);
    effect('updated', type.name, record.id, input.properties);
    return c.json(renderRecord(record, Object.keys(input.properties)));
  });

  return api;
}

function propertiesQuery(c: Context): string[] | undefined {
  const names = c.req
    .queries('properties')
    ?.flatMap((p) => p.split(','))
    .filter(Boolean);
  return names && names.length > 0 ? names : undefined;
}

async function body(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new HubspotError(
      400,
      'VALIDATION_ERROR',
      'Invalid input JSON on line 1: the body is not valid JSON',
    );
  }
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new HubspotError(400, 'VALIDATION_ERROR', `Invalid input JSON: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
