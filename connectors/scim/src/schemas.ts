import { z } from 'zod';

/** The SCIM schema URNs the connector sends (RFC 7643, RFC 7644). */
export const SCIM = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
} as const;

/** A user as the connector returns it: the attributes flows use, from the RFC 7643 User resource. */
export const scimUser = z.object({
  id: z.string(),
  userName: z.string(),
  active: z.boolean(),
  externalId: z.string().optional(),
  displayName: z.string().optional(),
  name: z.object({ givenName: z.string().optional(), familyName: z.string().optional() }).optional(),
  emails: z
    .array(z.object({ value: z.string(), type: z.string().optional(), primary: z.boolean().optional() }))
    .default([]),
  groups: z.array(z.object({ value: z.string(), display: z.string().optional() })).default([]),
});

/** A user, as the connector returns it. */
export type ScimUser = z.output<typeof scimUser>;

/** Reads a user from a service provider's answer, leaving out what the connector does not expose. */
export function toUser(resource: unknown): ScimUser {
  const raw = (resource ?? {}) as Record<string, unknown>;
  // Some providers send `active` as the strings "True"/"False" (Entra's dialect).
  const active = typeof raw.active === 'string' ? raw.active.toLowerCase() === 'true' : (raw.active ?? true);
  return scimUser.parse({ ...raw, active });
}

/** A SCIM filter matching one attribute exactly; the value is quoted as a JSON string, as RFC 7644 asks. */
export function eqFilter(attribute: string, value: string): string {
  return `${attribute} eq ${JSON.stringify(value)}`;
}
