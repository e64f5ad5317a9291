import type { CheckContext } from '@baton/sdk';
import type { HttpConnectorConfig } from './config';

/**
 * The credentials check: a GET of the configured `checkPath` with the
 * instance's credentials, which must answer 2xx. A generic connector knows
 * no cheap endpoint of the API it calls, so without `checkPath` there is
 * nothing to check and the check passes without a request (and says so in
 * the log). A 401 or 403 fails as `HTTP_401` / `HTTP_403`, not retried.
 */
export async function checkCredentials({
  config,
  http,
  log,
}: CheckContext<HttpConnectorConfig>): Promise<void> {
  if (config.checkPath === undefined) {
    log.info('no checkPath configured: the credentials were not checked');
    return;
  }
  await http.get(config.checkPath, { responseType: 'text' });
}
