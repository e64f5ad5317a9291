import type { BambooDirectory } from './directory';
import type { BambooEmployee } from './seed';

/** List fields and how they read from an employee record. */
const LIST_FIELDS: Record<string, (e: BambooEmployee, directory: BambooDirectory) => string | null> = {
  employeeId: (e) => e.id,
  firstName: (e) => e.firstName,
  lastName: (e) => e.lastName,
  preferredName: (e) => e.preferredName,
  photoUrl: (e) => `https://images.bamboohr.example/photos/${e.id}.jpg`,
  jobTitleName: (e) => e.jobTitle,
  status: (e) => e.status,
  displayName: (e, d) => d.read(e, 'displayName'),
  employeeNumber: (e) => e.employeeNumber,
  workEmail: (e) => e.workEmail,
  mobilePhone: (e) => e.mobilePhone,
  workPhone: (e) => e.workPhone,
  departmentName: (e) => e.department,
  divisionName: (e) => e.division,
  locationName: (e) => e.location,
  hireDate: (e) => e.hireDate,
  terminationDate: (e) => e.terminationDate,
  supervisorId: (e) => e.supervisorEId,
};

/** Always returned, whatever `fields` asks for. */
const DEFAULT_FIELDS = [
  'employeeId',
  'firstName',
  'lastName',
  'preferredName',
  'photoUrl',
  'jobTitleName',
  'status',
];
const SORTABLE = new Set(['employeeId', 'firstName', 'lastName', 'preferredName', 'jobTitleName', 'status']);
/** Filters that match by equality; the others match a case-insensitive substring. */
const EXACT_FILTERS = new Set(['status', 'hireDate', 'terminationDate', 'employeeNumber', 'supervisorId']);

/** `page[limit]` when the request gives none. */
export const DEFAULT_PAGE_LIMIT = 250;
/** The largest `page[limit]` BambooHR accepts. */
export const MAX_PAGE_LIMIT = 2500;

/** The query of `GET /employees`, read from the URL. */
export interface ListQuery {
  fields: string[];
  filters: Array<[string, string]>;
  sort: string | undefined;
  limit: number;
  offset: number;
}

/** A page of the list, or why the query is refused. */
export type ListOutcome =
  | { ok: true; data: Array<Record<string, unknown>>; total: number; next?: number; prev?: number }
  | { ok: false; message: string };

/** Reads `fields`, `filter[...]`, `sort`, `page[limit]` and `page[after]|page[before]`. */
export function readListQuery(url: URL): ListQuery | { error: string } {
  const params = url.searchParams;
  const fields = (params.get('fields') ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const unknown = fields.filter((f) => !(f in LIST_FIELDS));
  if (unknown.length > 0) return { error: `Unknown field(s): ${unknown.join(', ')}` };
  const filters: Array<[string, string]> = [];
  for (const [key, value] of params) {
    const match = /^filter\[(\w+)\]$/.exec(key);
    if (!match) continue;
    const name = match[1]!;
    if (name !== 'ids' && !(name in LIST_FIELDS)) return { error: `Unknown filter '${name}'` };
    filters.push([name, value]);
  }
  const rawLimit = params.get('page[limit]');
  const limit = rawLimit === null ? DEFAULT_PAGE_LIMIT : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    return { error: `page[limit] must be an integer from 1 to ${MAX_PAGE_LIMIT}` };
  }
  const cursor = params.get('page[after]') ?? params.get('page[before]');
  let offset = 0;
  if (cursor !== null) {
    const decoded = decodeCursor(cursor);
    if (decoded === undefined) return { error: 'Invalid page cursor' };
    offset = params.has('page[after]') ? decoded : Math.max(0, decoded - limit);
  }
  return { fields, filters, sort: params.get('sort') ?? undefined, limit, offset };
}

/** Filters, sorts and cuts one page of the directory. */
export function listEmployees(directory: BambooDirectory, query: ListQuery): ListOutcome {
  let rows = directory.all();
  for (const [name, value] of query.filters) {
    if (name === 'ids') {
      const ids = new Set(value.split(',').map((v) => v.trim()));
      rows = rows.filter((e) => ids.has(e.id));
      continue;
    }
    const read = LIST_FIELDS[name]!;
    const wanted = value.toLowerCase();
    rows = rows.filter((e) => {
      const actual = (read(e, directory) ?? '').toLowerCase();
      return EXACT_FILTERS.has(name) ? actual === wanted : actual.includes(wanted);
    });
  }
  const order = sortOrder(query.sort);
  if ('error' in order) return { ok: false, message: order.error };
  rows.sort((a, b) => {
    for (const { field, descending } of order.keys) {
      const diff = compare(LIST_FIELDS[field]!(a, directory), LIST_FIELDS[field]!(b, directory));
      if (diff !== 0) return descending ? -diff : diff;
    }
    return 0;
  });
  const page = rows.slice(query.offset, query.offset + query.limit);
  const fields = [...new Set([...DEFAULT_FIELDS, ...query.fields])];
  const data = page.map((e) => ({
    ...Object.fromEntries(fields.map((f) => [f, LIST_FIELDS[f]!(e, directory)])),
    _restrictedFields: [],
  }));
  const end = query.offset + page.length;
  return {
    ok: true,
    data,
    total: rows.length,
    ...(end < rows.length ? { next: end } : {}),
    ...(query.offset > 0 ? { prev: query.offset } : {}),
  };
}

function sortOrder(sort: string | undefined) {
  const keys: Array<{ field: string; descending: boolean }> = [];
  for (const part of (sort ?? 'employeeId').split(',').map((s) => s.trim())) {
    const descending = part.startsWith('-');
    const field = descending ? part.slice(1) : part;
    if (!SORTABLE.has(field)) return { error: `Cannot sort by '${field}'` };
    keys.push({ field, descending });
  }
  return { keys };
}

function compare(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Cursors are opaque to clients; here they carry the offset of the next row. */
export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown };
    return Number.isInteger(value.o) && (value.o as number) >= 0 ? (value.o as number) : undefined;
  } catch {
    return undefined;
  }
}
