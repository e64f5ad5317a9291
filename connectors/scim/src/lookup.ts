import { type HttpClient, NonRetryableError } from '@baton/sdk';
import { scimError } from './errors';
import { eqFilter, type ScimUser, toUser } from './schemas';

interface ListResponse {
  totalResults?: number;
  Resources?: unknown[];
}

/** `GET /Users?filter=userName eq "…"`: the user with this userName, if there is one. */
export async function findUserByName(http: HttpClient, userName: string): Promise<ScimUser | undefined> {
  let data: ListResponse;
  try {
    ({ data } = await http.get('/Users', { params: { filter: eqFilter('userName', userName), count: 2 } }));
  } catch (error) {
    throw scimError(error, `find user "${userName}"`);
  }
  const resources = Array.isArray(data?.Resources) ? data.Resources : [];
  if (resources.length > 1) {
    throw new NonRetryableError(`The directory has ${resources.length} users named "${userName}"`, {
      code: 'SCIM_AMBIGUOUS',
    });
  }
  return resources[0] === undefined ? undefined : toUser(resources[0]);
}

/** `GET /Groups?filter=displayName eq "…"`: the id and name of the group, if there is one. */
export async function findGroupByName(
  http: HttpClient,
  displayName: string,
): Promise<{ id: string; displayName: string } | undefined> {
  let data: ListResponse;
  try {
    ({ data } = await http.get('/Groups', {
      params: { filter: eqFilter('displayName', displayName), excludedAttributes: 'members' },
    }));
  } catch (error) {
    throw scimError(error, `find group "${displayName}"`);
  }
  const first = (Array.isArray(data?.Resources) ? data.Resources[0] : undefined) as
    | { id?: unknown; displayName?: unknown }
    | undefined;
  if (!first || typeof first.id !== 'string') return undefined;
  return {
    id: first.id,
    displayName: typeof first.displayName === 'string' ? first.displayName : displayName,
  };
}
