import { randomUUID } from 'node:crypto';
import { applyUserPatch, type PatchOperation, toBoolean } from './patch';
import { SCIM, ScimError } from './schemas';
import { SEED_USERS, SEEDED_GROUP_IDS } from './seed';

type Attributes = Record<string, unknown>;

interface Versioned {
  id: string;
  created: string;
  lastModified: string;
  version: number;
}

/** A user as stored: the attributes the client owns, plus server bookkeeping. */
export interface StoredUser extends Versioned {
  attributes: Attributes;
}

/** A group as stored: members are user ids. */
export interface StoredGroup extends Versioned {
  displayName: string;
  externalId?: string;
  /** Member user ids, in the order they were added. */
  members: string[];
}

/** Attributes the server owns: a client never sets them. */
const SERVER_OWNED = new Set(['id', 'meta', 'groups', 'schemas']);

/** The identity provider's users and groups. */
export class ScimDirectory {
  readonly users = new Map<string, StoredUser>();
  readonly groups = new Map<string, StoredGroup>();

  constructor() {
    this.reset();
  }

  reset(): void {
    this.users.clear();
    this.groups.clear();
    const at = new Date().toISOString();
    for (const [displayName, id] of Object.entries(SEEDED_GROUP_IDS)) {
      this.groups.set(id, { id, displayName, members: [], created: at, lastModified: at, version: 1 });
    }
    for (const seed of SEED_USERS) {
      const attributes: Attributes = {
        userName: seed.userName,
        name: { givenName: seed.givenName, familyName: seed.familyName },
        displayName: `${seed.givenName} ${seed.familyName}`,
        title: seed.title,
        emails: [{ value: seed.userName, type: 'work', primary: true }],
        active: seed.active,
        [SCIM.enterpriseUser]: { department: seed.department, employeeNumber: seed.employeeNumber },
      };
      this.users.set(seed.id, { id: seed.id, attributes, created: at, lastModified: at, version: 1 });
      for (const group of seed.groups) this.groups.get(SEEDED_GROUP_IDS[group])!.members.push(seed.id);
    }
  }

  user(id: string): StoredUser {
    const user = this.users.get(id);
    if (!user) throw new ScimError(404, `User ${id} not found`);
    return user;
  }

  group(id: string): StoredGroup {
    const group = this.groups.get(id);
    if (!group) throw new ScimError(404, `Group ${id} not found`);
    return group;
  }

  createUser(body: unknown): StoredUser {
    const attributes = this.checkUser(clientAttributes(body, SCIM.user), undefined);
    const at = new Date().toISOString();
    const user = { id: randomUUID(), attributes, created: at, lastModified: at, version: 1 };
    this.users.set(user.id, user);
    return user;
  }

  replaceUser(id: string, body: unknown): StoredUser {
    const user = this.user(id);
    return this.save(user, this.checkUser(clientAttributes(body, SCIM.user), id));
  }

  /** Applies a PatchOp; says whether it switched the account off. */
  patchUser(id: string, operations: PatchOperation[]): { user: StoredUser; deactivated: boolean } {
    const user = this.user(id);
    const wasActive = user.attributes.active !== false;
    const saved = this.save(user, this.checkUser(applyUserPatch(user.attributes, operations), id));
    return { user: saved, deactivated: wasActive && saved.attributes.active === false };
  }

  deleteUser(id: string): void {
    this.user(id);
    this.users.delete(id);
    for (const group of this.groups.values()) group.members = group.members.filter((m) => m !== id);
  }

  createGroup(body: unknown): StoredGroup {
    const attributes = clientAttributes(body, SCIM.group);
    const displayName = attributes.displayName;
    if (typeof displayName !== 'string' || !displayName.trim()) {
      throw new ScimError(400, 'displayName is required', 'invalidValue');
    }
    this.checkGroupName(displayName, undefined);
    const at = new Date().toISOString();
    const group: StoredGroup = {
      id: randomUUID(),
      displayName,
      ...(typeof attributes.externalId === 'string' ? { externalId: attributes.externalId } : {}),
      members: this.memberIds(attributes.members),
      created: at,
      lastModified: at,
      version: 1,
    };
    this.groups.set(group.id, group);
    return group;
  }

  /**
   * Applies a group PatchOp: `members` add / remove / replace (a filter such
   * as `members[value eq "…"]` on remove) and `displayName`. Adding a
   * member twice is not an error, as with Okta and Entra.
   */
  patchGroup(id: string, operations: PatchOperation[]): { added: string[]; removed: string[] } {
    const group = this.group(id);
    let members = [...group.members];
    let displayName = group.displayName;
    for (const { op, path, value } of operations) {
      const target = path?.toLowerCase();
      const filtered = /^members\[value eq "([^"]+)"\]$/i.exec(path ?? '');
      if (filtered) {
        if (op !== 'remove') throw new ScimError(400, `Only remove may target "${path}"`, 'invalidPath');
        members = members.filter((m) => m !== filtered[1]);
      } else if (target === 'members') {
        const ids = op === 'remove' && value === undefined ? members : this.memberIds(value);
        if (op === 'add') members = [...members, ...ids.filter((m) => !members.includes(m))];
        else if (op === 'replace') members = ids;
        else members = members.filter((m) => !ids.includes(m));
      } else if (target === 'displayname' || (target === undefined && isObject(value))) {
        const name = target === undefined ? (value as Attributes).displayName : value;
        if (target === undefined && (value as Attributes).members !== undefined) {
          members = this.memberIds((value as Attributes).members);
        }
        if (name !== undefined) {
          if (typeof name !== 'string' || !name.trim())
            throw new ScimError(400, 'displayName must be a string', 'invalidValue');
          this.checkGroupName(name, id);
          displayName = name;
        }
      } else {
        throw new ScimError(400, `The sandbox does not support the group path "${path}"`, 'invalidPath');
      }
    }
    const added = members.filter((m) => !group.members.includes(m));
    const removed = group.members.filter((m) => !members.includes(m));
    const renamed = displayName !== group.displayName;
    Object.assign(group, { members, displayName });
    if (added.length + removed.length > 0 || renamed) this.touch(group);
    return { added, removed };
  }

  /** The groups a user belongs to. */
  groupsOf(userId: string): StoredGroup[] {
    return [...this.groups.values()].filter((g) => g.members.includes(userId));
  }

  private save(user: StoredUser, attributes: Attributes): StoredUser {
    user.attributes = attributes;
    this.touch(user);
    return user;
  }

  private touch(resource: Versioned): void {
    resource.lastModified = new Date().toISOString();
    resource.version += 1;
  }

  private checkUser(attributes: Attributes, selfId: string | undefined): Attributes {
    const userName = attributes.userName;
    if (typeof userName !== 'string' || !userName.trim()) {
      throw new ScimError(400, 'userName is required and must be a non-empty string', 'invalidValue');
    }
    for (const other of this.users.values()) {
      const taken = String(other.attributes.userName).toLowerCase() === userName.toLowerCase();
      if (taken && other.id !== selfId) {
        throw new ScimError(409, `userName "${userName}" is already taken by another user`, 'uniqueness');
      }
    }
    const active = attributes.active === undefined ? true : toBoolean(attributes.active);
    if (active === undefined) throw new ScimError(400, 'active must be a boolean', 'invalidValue');
    if (attributes.emails !== undefined) {
      const emails = attributes.emails;
      if (!Array.isArray(emails) || !emails.every((e) => isObject(e) && typeof e.value === 'string')) {
        throw new ScimError(400, 'emails must be a list of { value, type?, primary? }', 'invalidValue');
      }
    }
    if (attributes.name !== undefined && !isObject(attributes.name)) {
      throw new ScimError(400, 'name must be an object', 'invalidValue');
    }
    return { ...attributes, active };
  }

  private checkGroupName(displayName: string, selfId: string | undefined): void {
    for (const other of this.groups.values()) {
      if (other.id !== selfId && other.displayName.toLowerCase() === displayName.toLowerCase()) {
        throw new ScimError(409, `A group named "${displayName}" already exists`, 'uniqueness');
      }
    }
  }

  private memberIds(value: unknown): string[] {
    if (value === undefined) return [];
    if (!Array.isArray(value) || !value.every((m) => isObject(m) && typeof m.value === 'string')) {
      throw new ScimError(400, 'members must be a list of { "value": "<user id>" }', 'invalidValue');
    }
    const ids = value.map((m) => (m as { value: string }).value);
    const unknown = ids.filter((m) => !this.users.has(m));
    if (unknown.length > 0) throw new ScimError(400, `No user with id ${unknown.join(', ')}`, 'invalidValue');
    return [...new Set(ids)];
  }
}

/** The client-owned attributes of a create or replace body, after checking its `schemas`. */
function clientAttributes(body: unknown, schema: string): Attributes {
  if (!isObject(body)) throw new ScimError(400, 'The body must be a JSON object', 'invalidSyntax');
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(schema)) {
    throw new ScimError(400, `schemas must contain "${schema}"`, 'invalidSyntax');
  }
  return Object.fromEntries(Object.entries(body).filter(([key]) => !SERVER_OWNED.has(key)));
}

function isObject(value: unknown): value is Attributes {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
