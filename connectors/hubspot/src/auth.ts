import { type HttpSetup, type OAuth2Auth, oauth2RefreshToken } from '@baton/sdk';
import type { HubspotConfig } from './config';

/** HubSpot's token endpoint under the API origin (`https://api.hubapi.com/oauth/v1/token`). */
export function tokenUrlOf(config: HubspotConfig): string {
  return config.oauth?.tokenUrl ?? `${config.baseUrl.replace(/\/+$/, '')}/oauth/v1/token`;
}

/**
 * The refresh-token grant of an instance configured with `oauth`; undefined
 * for one with a private app `accessToken`. HubSpot takes the client's
 * credentials in the form body.
 */
export function hubspotAuth(config: HubspotConfig): OAuth2Auth | undefined {
  const { oauth } = config;
  if (!oauth) return undefined;
  return oauth2RefreshToken({
    tokenUrl: tokenUrlOf(config),
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    refreshToken: oauth.refreshToken,
    scope: oauth.scope,
    clientAuthentication: 'body',
  });
}

/**
 * The API base, and the private app token as a bearer token. With `oauth`
 * the host sends the access token it holds and refreshes: a header set here
 * would take its place.
 */
export function hubspotHttp(config: HubspotConfig): HttpSetup {
  return config.accessToken
    ? { baseURL: config.baseUrl, headers: { authorization: `Bearer ${config.accessToken}` } }
    : { baseURL: config.baseUrl };
}
