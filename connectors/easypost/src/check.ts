import type { CheckContext } from '@baton/sdk';
import { easyPost } from './client';
import type { EasyPostConfig } from './config';

/** A shipment id no account has: EasyPost checks the key before it looks the object up. */
const PROBE = '/shipments/shp_baton_credentials_check';

/**
 * The credentials check: one read of a shipment that does not exist.
 * EasyPost answers 404 `NOT_FOUND` to a key it accepts and 401 to one it
 * does not (`APIKEY.INACTIVE`, `APIKEY.REQUIRED` …). It reads one object
 * by id, which EasyPost's fixed limit on list endpoints does not count, and
 * changes nothing.
 */
export async function checkCredentials({ http }: CheckContext<EasyPostConfig>): Promise<void> {
  try {
    await easyPost(http, 'get', PROBE);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'NOT_FOUND') return;
    throw error;
  }
}
