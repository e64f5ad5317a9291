import type { CheckContext } from '@baton/sdk';
import type { BambooHrConfig } from './config';
import { bambooError } from './errors';

/**
 * The credentials check: `GET /employees?page[limit]=1`, the smallest page
 * of the employee list `list-employees` reads, which changes nothing. A
 * refused key fails with `BAMBOOHR_UNAUTHORIZED` (401) or
 * `BAMBOOHR_FORBIDDEN` (403) and BambooHR's reason.
 */
export async function checkCredentials({ http }: CheckContext<BambooHrConfig>): Promise<void> {
  try {
    await http.get('/employees', { params: { 'page[limit]': 1 } });
  } catch (error) {
    throw bambooError(error, 'list employees');
  }
}
