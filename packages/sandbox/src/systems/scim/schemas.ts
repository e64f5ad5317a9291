import type { Context } from 'hono';

/** The schema URNs of RFC 7643 and RFC 7644 the sandbox speaks. */
export const SCIM = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
} as const;

/** The `scimType` values of RFC 7644 §3.12 the sandbox answers with. */
export type ScimType =
  | 'uniqueness'
  | 'invalidFilter'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'invalidValue'
  | 'noTarget'
  | 'mutability'
  | 'tooMany';

/** A SCIM failure, answered as an RFC 7644 error message. */
export class ScimError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 409,
    message: string,
    readonly scimType?: ScimType,
  ) {
    super(message);
  }
}

/** Sends JSON as `application/scim+json`, the media type SCIM servers use. */
export function scimJson(c: Context, body: unknown, status: 200 | 201 = 200): Response {
  return c.body(JSON.stringify(body), status, { 'content-type': 'application/scim+json; charset=utf-8' });
}

/** The RFC 7644 §3.12 error body: `status` is a string there. */
export function scimErrorResponse(c: Context, error: ScimError): Response {
  return c.body(
    JSON.stringify({
      schemas: [SCIM.error],
      status: String(error.status),
      ...(error.scimType ? { scimType: error.scimType } : {}),
      detail: error.message,
    }),
    error.status,
    { 'content-type': 'application/scim+json; charset=utf-8' },
  );
}

/** The ListResponse envelope of RFC 7644 §3.4.2. */
export function listResponse(resources: unknown[], totalResults: number, startIndex: number) {
  return {
    schemas: [SCIM.listResponse],
    totalResults,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
