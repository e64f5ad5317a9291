import { z } from 'zod';
import { SCIM, ScimError } from './schemas';

/** One operation of an RFC 7644 §3.5.2 PATCH; `op` is case-insensitive (Entra sends "Replace"). */
export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path?: string;
  value?: unknown;
}

const patchBody = z.object({
  schemas: z.array(z.string()).refine((s) => s.includes(SCIM.patchOp), {
    message: `schemas must contain "${SCIM.patchOp}"`,
  }),
  Operations: z
    .array(
      z.object({
        op: z
          .string()
          .transform((op) => op.toLowerCase())
          .pipe(z.enum(['add', 'replace', 'remove'])),
        path: z.string().min(1).optional(),
        value: z.unknown().optional(),
      }),
    )
    .min(1),
});

/** Reads a PatchOp request body, or throws an `invalidSyntax` error naming the problem. */
export function readPatch(body: unknown): PatchOperation[] {
  const parsed = patchBody.safeParse(body);
  if (!parsed.success) {
    throw new ScimError(400, `Invalid PatchOp: ${z.prettifyError(parsed.error)}`, 'invalidSyntax');
  }
  return parsed.data.Operations.map((o) => ({
    op: o.op,
    ...(o.path !== undefined ? { path: o.path } : {}),
    ...(o.value !== undefined ? { value: o.value } : {}),
  }));
}

type Attributes = Record<string, unknown>;

const VALUE_FILTER = /^(\w+)\[(\w+)\s+eq\s+"([^"]*)"\](?:\.(\w+))?$/i;

/**
 * Applies user PATCH operations to a copy of the attributes. Paths may be
 * `attr`, `attr.sub`, `emails[type eq "work"].value` or an extension
 * attribute (`urn:…:enterprise:2.0:User:department`); without a path the
 * value's keys are applied one by one (Okta's `{"active": false}` and Entra's
 * dotted keys alike).
 */
export function applyUserPatch(attributes: Attributes, operations: PatchOperation[]): Attributes {
  const next = structuredClone(attributes);
  for (const operation of operations) {
    if (operation.path === undefined) {
      if (operation.op === 'remove') throw new ScimError(400, 'A remove operation needs a path', 'noTarget');
      if (typeof operation.value !== 'object' || operation.value === null || Array.isArray(operation.value)) {
        throw new ScimError(400, 'An operation without a path needs an object value', 'invalidValue');
      }
      for (const [key, value] of Object.entries(operation.value)) {
        applyAt(next, key, operation.op, value);
      }
    } else {
      applyAt(next, operation.path, operation.op, operation.value);
    }
  }
  return next;
}

function applyAt(target: Attributes, path: string, op: PatchOperation['op'], value: unknown): void {
  if (path.toLowerCase().startsWith('urn:')) {
    const cut = path.lastIndexOf(':');
    const urn = path.slice(0, cut);
    const extension = (target[urn] as Attributes | undefined) ?? {};
    if (cut === path.length - 1 || !urn.includes(':'))
      throw new ScimError(400, `Bad path "${path}"`, 'invalidPath');
    applyAt(extension, path.slice(cut + 1), op, value);
    target[urn] = extension;
    return;
  }
  const filtered = VALUE_FILTER.exec(path);
  if (filtered) {
    const [, attr, key, wanted, sub] = filtered as unknown as [
      string,
      string,
      string,
      string,
      string | undefined,
    ];
    const name = keyOf(target, attr);
    const list = Array.isArray(target[name]) ? (target[name] as Attributes[]) : [];
    let entry = list.find((e) => String(e[key] ?? '').toLowerCase() === wanted.toLowerCase());
    if (op === 'remove') {
      target[name] = list.filter((e) => e !== entry);
      return;
    }
    if (!entry) {
      entry = { [key]: wanted };
      list.push(entry);
    }
    if (sub) entry[sub] = value;
    else Object.assign(entry, value);
    target[name] = list;
    return;
  }
  if (/[[\]]/.test(path))
    throw new ScimError(400, `The sandbox does not support the path "${path}"`, 'invalidPath');
  const segments = path.split('.');
  let node = target;
  for (const segment of segments.slice(0, -1)) {
    const key = keyOf(node, segment);
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Attributes;
  }
  const last = keyOf(node, segments.at(-1)!);
  if (op === 'remove') delete node[last];
  else if (op === 'add' && Array.isArray(node[last]) && Array.isArray(value)) {
    node[last] = [...(node[last] as unknown[]), ...value];
  } else node[last] = value;
}

/** Attribute names are case-insensitive in SCIM: reuse the stored spelling. */
function keyOf(node: Attributes, name: string): string {
  return Object.keys(node).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
}

/** Entra sends booleans as the strings "True" and "False". */
export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return undefined;
}
