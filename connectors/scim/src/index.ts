import { defineConnector } from '@baton/sdk';
import { addToGroup } from './actions/add-to-group';
import { createUser } from './actions/create-user';
import { deactivateUser } from './actions/deactivate-user';
import { findUser } from './actions/find-user';
import { checkCredentials } from './check';
import { config } from './config';

/**
 * `@baton/connector-scim`: provision accounts in any SCIM 2.0 directory
 * (RFC 7643/7644), such as the apps Okta and Entra ID provision into.
 *
 * @example
 * ```json
 * { "id": "account", "action": "directory.create-user",
 *   "input": { "userName": "{{ event.data.workEmail }}", "givenName": "{{ event.data.firstName }}",
 *              "familyName": "{{ event.data.lastName }}", "onConflict": "return-existing" } }
 * ```
 *
 * @module
 */
export default defineConnector({
  name: 'scim',
  version: '0.1.0',
  description: 'SCIM 2.0 directory: create, find and deactivate users, add them to groups.',
  config,
  http: (cfg) => ({
    baseURL: cfg.baseUrl,
    headers: {
      authorization: `Bearer ${cfg.token}`,
      accept: 'application/scim+json, application/json',
      'content-type': 'application/scim+json',
    },
  }),
  // No default `limits`: SCIM (RFC 7644) defines none, and each service
  // provider sets its own; a 429 with `Retry-After` pauses the instance.
  check: checkCredentials,
  actions: {
    'create-user': createUser,
    'find-user': findUser,
    'deactivate-user': deactivateUser,
    'add-to-group': addToGroup,
  },
});

export type { AddToGroupInput, AddToGroupOutput } from './actions/add-to-group';
export type { CreateUserInput, CreateUserOutput } from './actions/create-user';
export type { DeactivateUserInput, DeactivateUserOutput } from './actions/deactivate-user';
export type { FindUserInput, FindUserOutput } from './actions/find-user';
export { config, type ScimConfig } from './config';
export type { ScimUser } from './schemas';
