import type { ConnectorLimits } from '@baton/sdk';

/**
 * HubSpot's documented burst limit, the default budget of every instance
 * (a config's `limits` overrides it):
 *
 * - private apps: 100 requests per 10 seconds per app on Free and Starter,
 *   190 on Professional and Enterprise, 200 with the API limit increase;
 * - OAuth (public) apps: 100 requests per 10 seconds per installed account.
 *
 * The connector cannot tell the account's plan, so it takes the lowest,
 * 100 per 10 s, which holds on every plan; a Professional or Enterprise
 * account may raise it to 190 in its config. HubSpot's other limits are not
 * budgets of one instance: the daily limit (250 000 to 1 000 000 per
 * account, shared by all its apps) ends in a `DAILY` 429, and the CRM search
 * endpoints' own per-second limit (which `find-contact` and an idempotent
 * `create-deal` use) in a `TEN_SECONDLY_ROLLING`-style 429 whose
 * `Retry-After` pauses the instance.
 *
 * Sources: https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
 * and https://developers.hubspot.com/docs/apps/legacy-apps/private-apps/overview
 */
export const HUBSPOT_LIMITS: ConnectorLimits = { rate: { requests: 100, per: '10s' } };
