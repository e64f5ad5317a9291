import type { ScimDirectory, StoredGroup, StoredUser } from './directory';
import { SCIM } from './schemas';

type Resource = Record<string, unknown>;

/** A user as the API returns it (RFC 7643 §4.1), with its groups and `meta`. */
export function renderUser(directory: ScimDirectory, user: StoredUser, base: string): Resource {
  const extensions = Object.keys(user.attributes).filter((k) => k.startsWith('urn:'));
  return {
    schemas: [SCIM.user, ...extensions],
    id: user.id,
    ...user.attributes,
    groups: directory.groupsOf(user.id).map((g) => ({
      value: g.id,
      display: g.displayName,
      $ref: `${base}/Groups/${g.id}`,
      type: 'direct',
    })),
    meta: meta('User', user, `${base}/Users/${user.id}`),
  };
}

/** A group as the API returns it (RFC 7643 §4.2). */
export function renderGroup(directory: ScimDirectory, group: StoredGroup, base: string): Resource {
  return {
    schemas: [SCIM.group],
    id: group.id,
    displayName: group.displayName,
    ...(group.externalId !== undefined ? { externalId: group.externalId } : {}),
    members: group.members.map((id) => {
      const user = directory.users.get(id);
      return {
        value: id,
        display:
          (user?.attributes.displayName as string | undefined) ?? (user?.attributes.userName as string),
        $ref: `${base}/Users/${id}`,
        type: 'User',
      };
    }),
    meta: meta('Group', group, `${base}/Groups/${group.id}`),
  };
}

function meta(resourceType: string, resource: StoredUser | StoredGroup, location: string) {
  return {
    resourceType,
    created: resource.created,
    lastModified: resource.lastModified,
    location,
    version: `W/"${resource.version}"`,
  };
}

/**
 * Applies the `attributes` / `excludedAttributes` query parameters (RFC 7644
 * §3.4.2.5) at the top level; `id` and `schemas` are always returned.
 */
export function project(resource: Resource, attributes?: string, excluded?: string): Resource {
  const list = (text: string) => new Set(text.split(',').map((a) => a.trim().toLowerCase()));
  if (attributes) {
    const keep = list(attributes);
    return Object.fromEntries(
      Object.entries(resource).filter(([k]) => k === 'id' || k === 'schemas' || keep.has(k.toLowerCase())),
    );
  }
  if (excluded) {
    const drop = list(excluded);
    return Object.fromEntries(
      Object.entries(resource).filter(([k]) => k === 'id' || k === 'schemas' || !drop.has(k.toLowerCase())),
    );
  }
  return resource;
}
