import { HttpError, NonRetryableError } from '@baton/sdk';

interface ScimErrorBody {
  scimType?: string;
  detail?: string;
}

/**
 * Maps a failed SCIM call (RFC 7644 §3.12 error body: `status`, `scimType`,
 * `detail`) to what the runtime should do: a duplicate is
 * `SCIM_UNIQUENESS`, a missing resource `SCIM_NOT_FOUND`, other 4xx
 * `SCIM_<SCIMTYPE>` or `SCIM_BAD_REQUEST`, none of them retried. 429, 5xx
 * and network failures stay retryable as the SDK classified them.
 */
export function scimError(error: unknown, what: string): unknown {
  if (!(error instanceof HttpError) || error.status === undefined) return error;
  const body = (error.response?.data ?? {}) as ScimErrorBody;
  const detail = typeof body.detail === 'string' ? `: ${body.detail}` : '';
  const scimType = typeof body.scimType === 'string' ? body.scimType : undefined;
  const fail = (code: string, message: string) =>
    new NonRetryableError(`${message}${detail}`, {
      code,
      cause: error,
      details: { status: error.status, ...(scimType ? { scimType } : {}) },
    });
  switch (error.status) {
    case 400:
      return fail(
        scimType ? `SCIM_${snake(scimType)}` : 'SCIM_BAD_REQUEST',
        `The directory refused to ${what}`,
      );
    case 401:
      return fail('SCIM_UNAUTHORIZED', `The directory rejected the token while trying to ${what}`);
    case 403:
      return fail('SCIM_FORBIDDEN', `The token may not ${what}`);
    case 404:
      return fail('SCIM_NOT_FOUND', `The directory found nothing to ${what}`);
    case 409:
      return fail(
        scimType === 'uniqueness' || scimType === undefined ? 'SCIM_UNIQUENESS' : `SCIM_${snake(scimType)}`,
        `The directory refused to ${what} because it conflicts with an existing resource`,
      );
    default:
      return error;
  }
}

/** `invalidFilter` → `INVALID_FILTER`. */
function snake(camel: string): string {
  return camel.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}
