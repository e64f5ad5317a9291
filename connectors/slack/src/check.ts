import { type CheckContext, type HttpClient, HttpError } from '@baton/sdk';
import type { SlackConfig } from './config';
import { fromWebApiFailure, fromWebhookFailure, webApiError } from './errors';

/**
 * The credentials check, for each credential the instance has:
 * - the bot token: `auth.test`, Slack's "who am I", which needs no scope;
 *   a refused token fails with Slack's error (`invalid_auth`,
 *   `token_revoked`, `account_inactive` …) as its code;
 * - the incoming webhook: an empty message, which a live webhook refuses
 *   with 400 (`no_text`, `invalid_payload`) without posting anything, and a
 *   removed or disabled one answers 404 `no_service`, 403 or 410, which fail
 *   the check with that reason.
 */
export async function checkCredentials({ config, http }: CheckContext<SlackConfig>): Promise<void> {
  if (config.token) await checkToken(http, config.token);
  if (config.webhookUrl) await checkWebhook(http, config.webhookUrl);
}

async function checkToken(http: HttpClient, token: string): Promise<void> {
  const response = await http
    .post('/auth.test', undefined, { headers: { authorization: `Bearer ${token}` } })
    .catch((error: unknown) => {
      throw fromWebApiFailure('auth.test', error);
    });
  const data = response.data as { ok?: unknown; error?: unknown } | undefined;
  if (data?.ok !== true) {
    throw webApiError('auth.test', String(data?.error ?? 'unexpected_response'), response.headers);
  }
}

async function checkWebhook(http: HttpClient, webhookUrl: string): Promise<void> {
  try {
    await http.post(webhookUrl, {}, { responseType: 'text' });
  } catch (error) {
    // A 400 is about the (empty) payload: the webhook itself is live.
    if (error instanceof HttpError && error.status === 400) return;
    throw fromWebhookFailure(error);
  }
}
