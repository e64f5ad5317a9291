import type { CheckContext } from '@baton/sdk';
import { shippo } from './client';
import type { ShippoConfig } from './config';

/**
 * The credentials check: `GET /transactions?results=1`, the smallest page
 * of the label purchases the token may see. Shippo has no "who am I"
 * endpoint; this one reads one record at most and changes nothing. A
 * refused token fails with `AUTHENTICATION_FAILED` and Shippo's reason.
 */
export async function checkCredentials({ http }: CheckContext<ShippoConfig>): Promise<void> {
  await shippo(http, 'get', '/transactions', undefined, { results: '1' });
}
