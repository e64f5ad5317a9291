import type { CheckContext } from '@baton/sdk';
import type { ScimConfig } from './config';
import { scimError } from './errors';

/**
 * The credentials check: `GET /Users?startIndex=1&count=1`, one user at
 * most. Not `/ServiceProviderConfig`: it describes the server, not the
 * caller, and some service providers serve it without looking at the
 * token, so it could pass a bad one. A
 * refused token fails with `SCIM_UNAUTHORIZED` (401) or `SCIM_FORBIDDEN`
 * (403) and the directory's `detail`.
 */
export async function checkCredentials({ http }: CheckContext<ScimConfig>): Promise<void> {
  try {
    await http.get('/Users', { params: { startIndex: 1, count: 1 } });
  } catch (error) {
    throw scimError(error, 'list users');
  }
}
