import type { CheckContext } from '@baton/sdk';
import type { HubspotConfig } from './config';
import { hubspotError } from './errors';

/**
 * The credentials check: `GET /account-info/v3/details`, HubSpot's "who am
 * I", which every token may call (OAuth scope `oauth`, granted to every app)
 * and which reads no CRM data. A refused token fails with
 * `HUBSPOT_INVALID_AUTHENTICATION` (401) or `HUBSPOT_MISSING_SCOPES` (403).
 */
export async function checkCredentials({ http }: CheckContext<HubspotConfig>): Promise<void> {
  try {
    await http.get('/account-info/v3/details');
  } catch (error) {
    throw hubspotError(error, 'read the account details with these credentials');
  }
}
