import type { OAuth2Auth } from './types';

/** Settings shared by both grants. */
interface GrantOptions {
  /** The token endpoint. */
  tokenUrl: string;
  clientId: string;
  /** Space-separated scopes to ask for. */
  scope?: string | undefined;
  /** Extra form fields for the token request (`audience`, `resource` …). */
  extraParams?: Record<string, string> | undefined;
  /** How the client authenticates at the token endpoint. @default 'body' */
  clientAuthentication?: 'body' | 'basic' | undefined;
  /** Refresh this long before the token expires. @default 60 000 ms, or a tenth of a shorter lifetime */
  refreshAheadMs?: number | undefined;
}

export interface ClientCredentialsOptions extends GrantOptions {
  clientSecret: string;
}

export interface RefreshTokenOptions extends GrantOptions {
  /** Public clients (PKCE apps) have none. */
  clientSecret?: string | undefined;
  /** The refresh token the user granted, from the instance's config. */
  refreshToken: string;
}

/**
 * The OAuth2 client-credentials grant (a machine token), for a connector's
 * `auth`. Baton fetches the token, shares it between workers and refreshes
 * it before it expires.
 *
 * @example
 * ```ts
 * auth: (cfg) => oauth2ClientCredentials({
 *   tokenUrl: `${cfg.baseUrl}/oauth/token`,
 *   clientId: cfg.clientId,
 *   clientSecret: cfg.clientSecret,
 *   scope: 'tickets:write',
 * }),
 * ```
 */
export function oauth2ClientCredentials(options: ClientCredentialsOptions): OAuth2Auth {
  return withoutUndefined({ type: 'oauth2', grant: 'client_credentials', ...options });
}

/**
 * The OAuth2 refresh-token grant (a user's consent, kept fresh), for a
 * connector's `auth`. Baton trades the refresh token for access tokens,
 * keeps the refresh token the provider rotates to, and marks the instance
 * "needs reconnect" when the provider refuses it.
 *
 * @example
 * ```ts
 * auth: (cfg) => cfg.oauth && oauth2RefreshToken({ tokenUrl: 'https://api.example/oauth/token', ...cfg.oauth }),
 * ```
 */
export function oauth2RefreshToken(options: RefreshTokenOptions): OAuth2Auth {
  return withoutUndefined({ type: 'oauth2', grant: 'refresh_token', ...options });
}

function withoutUndefined(auth: Record<string, unknown>): OAuth2Auth {
  return Object.fromEntries(
    Object.entries(auth).filter(([, value]) => value !== undefined),
  ) as unknown as OAuth2Auth;
}
