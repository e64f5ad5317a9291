/** The client the sandbox's OAuth2 authority knows from the start. */
export const SANDBOX_OAUTH_CLIENT_ID = 'sandbox-client';
/** The secret of `SANDBOX_OAUTH_CLIENT_ID`. */
export const SANDBOX_OAUTH_CLIENT_SECRET = 'sandbox-secret';
/** A refresh token of `SANDBOX_OAUTH_CLIENT_ID` that is valid after every start and reset. */
export const SANDBOX_OAUTH_REFRESH_TOKEN = 'sandbox-refresh-token';
/**
 * Every access token the authority issues starts with this. A system that
 * accepts OAuth2 tokens (HubSpot) takes a bearer token with this prefix only
 * while the authority says it is live; any other token is a static one.
 */
export const OAUTH_ACCESS_TOKEN_PREFIX = 'sbx-oat-';
/** Every refresh token the authority mints starts with this (the seeded one excepted). */
export const OAUTH_REFRESH_TOKEN_PREFIX = 'sbx-ort-';
