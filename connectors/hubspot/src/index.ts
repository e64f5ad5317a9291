import { defineConnector } from '@baton/sdk';
import { createDeal } from './actions/create-deal';
import { findContact } from './actions/find-contact';
import { upsertContact } from './actions/upsert-contact';
import { hubspotAuth, hubspotHttp } from './auth';
import { checkCredentials } from './check';
import { config } from './config';
import { HUBSPOT_LIMITS } from './limits';

/**
 * `@baton/connector-hubspot`: contacts and deals in HubSpot CRM (v3 API),
 * with a private app token or an OAuth2 app's refresh token.
 *
 * @example
 * ```json
 * { "id": "contact", "action": "crm.upsert-contact",
 *   "input": { "email": "{{ event.data.customer.email }}", "firstname": "{{ event.data.customer.firstName }}" } }
 * ```
 *
 * @module
 */
export default defineConnector({
  name: 'hubspot',
  version: '0.1.0',
  description: 'HubSpot CRM: find and upsert contacts, create deals associated with them.',
  config,
  http: hubspotHttp,
  auth: hubspotAuth,
  limits: HUBSPOT_LIMITS,
  check: checkCredentials,
  actions: {
    'find-contact': findContact,
    'upsert-contact': upsertContact,
    'create-deal': createDeal,
  },
});

export type { CreateDealInput, CreateDealOutput } from './actions/create-deal';
export type { FindContactInput, FindContactOutput } from './actions/find-contact';
export type { UpsertContactInput, UpsertContactOutput } from './actions/upsert-contact';
export { config, type HubspotConfig } from './config';
export type { CrmRecord } from './schemas';
