import { z } from 'zod';
import { HubspotError } from './errors';

const filter = z.object({
  propertyName: z.string().min(1),
  operator: z.enum([
    'EQ',
    'NEQ',
    'LT',
    'LTE',
    'GT',
    'GTE',
    'IN',
    'NOT_IN',
    'HAS_PROPERTY',
    'NOT_HAS_PROPERTY',
    'CONTAINS_TOKEN',
    'NOT_CONTAINS_TOKEN',
  ]),
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
  values: z.array(z.union([z.string(), z.number()])).optional(),
});

/** The body of `POST /crm/v3/objects/{type}/search`, with HubSpot's limits. */
export const searchBody = z.object({
  filterGroups: z
    .array(z.object({ filters: z.array(filter).max(6) }))
    .max(5)
    .default([]),
  properties: z.array(z.string()).optional(),
  sorts: z
    .array(
      z.union([
        z.string(),
        z.object({ propertyName: z.string(), direction: z.enum(['ASCENDING', 'DESCENDING']) }),
      ]),
    )
    .optional(),
  query: z.string().optional(),
  limit: z.number().int().min(1).max(200).default(10),
  after: z.union([z.string(), z.number()]).optional(),
});

/** A checked search request, with defaults applied. */
export type SearchBody = z.output<typeof searchBody>;
type Filter = z.output<typeof filter>;
type Properties = Record<string, string | null>;

/** Reads a search body, or a VALIDATION_ERROR naming what is wrong. */
export function readSearch(raw: unknown): SearchBody {
  const parsed = searchBody.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new HubspotError(
      400,
      'VALIDATION_ERROR',
      `Invalid search request: ${z.prettifyError(parsed.error)}`,
    );
  }
  const total = parsed.data.filterGroups.reduce((n, g) => n + g.filters.length, 0);
  if (total > 18) throw new HubspotError(400, 'VALIDATION_ERROR', 'A search may have at most 18 filters');
  return parsed.data;
}

/** Filter groups are OR'ed, the filters inside a group AND'ed; no groups match everything. */
export function matches(search: SearchBody, properties: Properties): boolean {
  if (search.filterGroups.length === 0) return true;
  return search.filterGroups.some((group) => group.filters.every((f) => test(f, properties)));
}

function test(f: Filter, properties: Properties): boolean {
  const actual = properties[f.propertyName] ?? null;
  const wanted = f.value === undefined ? undefined : String(f.value).toLowerCase();
  const value = actual?.toLowerCase() ?? null;
  switch (f.operator) {
    case 'HAS_PROPERTY':
      return value !== null;
    case 'NOT_HAS_PROPERTY':
      return value === null;
    case 'EQ':
      return value === wanted;
    case 'NEQ':
      return value !== wanted;
    case 'IN':
      return value !== null && (f.values ?? []).some((v) => String(v).toLowerCase() === value);
    case 'NOT_IN':
      return !(f.values ?? []).some((v) => String(v).toLowerCase() === value);
    case 'CONTAINS_TOKEN':
      return value !== null && wanted !== undefined && tokenMatch(value, wanted);
    case 'NOT_CONTAINS_TOKEN':
      return value === null || wanted === undefined || !tokenMatch(value, wanted);
    default: {
      if (value === null || wanted === undefined) return false;
      const a = Number(value);
      const b = Number(wanted);
      const order = Number.isFinite(a) && Number.isFinite(b) ? a - b : value.localeCompare(wanted);
      if (f.operator === 'LT') return order < 0;
      if (f.operator === 'LTE') return order <= 0;
      if (f.operator === 'GT') return order > 0;
      return order >= 0;
    }
  }
}

/** `CONTAINS_TOKEN` matches whole words, with `*` as a wildcard. */
function tokenMatch(value: string, token: string): boolean {
  const pattern = new RegExp(`^${token.split('*').map(escapeRegExp).join('.*')}$`);
  return value.split(/[\s@.,;:_-]+/).some((word) => pattern.test(word)) || pattern.test(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
