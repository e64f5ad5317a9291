import { Hono } from 'hono';

/** The portal the sandbox's HubSpot account answers as (HubSpot's own demo portal id). */
export const SANDBOX_PORTAL_ID = 62515;

/**
 * `GET /account-info/v3/details`: HubSpot's account details, the cheapest
 * call that proves a token works (connectors use it as their credentials
 * check).
 */
export function accountInfoApi(portalId: number) {
  const api = new Hono();
  api.get('/details', (c) =>
    c.json({
      portalId,
      accountType: 'STANDARD',
      timeZone: 'US/Eastern',
      companyCurrency: 'USD',
      additionalCurrencies: [],
      utcOffset: '-05:00',
      utcOffsetMilliseconds: -18_000_000,
      uiDomain: 'app.hubspot.com',
      dataHostingLocation: 'na1',
    }),
  );
  return api;
}
