import { defineConnector } from '@baton/sdk';
import { createDeal } from './actions/create-deal';
import { findContact } from './actions/find-contact';
import { upsertContact } from './actions/upsert-contact';
import { config } from './config';

/**
 * `@baton/connector-hubspot`: contacts and deals in HubSpot CRM (v3 API).
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
  http: (cfg) => ({ baseURL: cfg.baseUrl, headers: { authorization: `Bearer ${cfg.accessToken}` } }),
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
