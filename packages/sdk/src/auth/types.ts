/**
 * How a connector authenticates with OAuth2. A connector's `auth(config)`
 * returns one of these (or undefined for an instance configured with a
 * static key); the host then fetches, caches, shares and refreshes the
 * access token and sends it as `Authorization: Bearer …` on every request
 * of the action's `http` client.
 */
export interface OAuth2Auth {
  type: 'oauth2';
  /** `client_credentials`: a machine token; `refresh_token`: a user's grant, kept fresh. */
  grant: 'client_credentials' | 'refresh_token';
  /** The token endpoint (RFC 6749 §3.2). */
  tokenUrl: string;
  clientId: string;
  clientSecret?: string;
  /** The refresh token the user granted: required for the `refresh_token` grant. */
  refreshToken?: string;
  /** Space-separated scopes to ask for. */
  scope?: string;
  /** Extra form fields for the token request (`audience`, `resource` …). */
  extraParams?: Record<string, string>;
  /** How the client authenticates at the token endpoint. @default 'body' */
  clientAuthentication?: 'body' | 'basic';
  /** Refresh this long before the token expires. @default 60 000 ms, or a tenth of a shorter lifetime */
  refreshAheadMs?: number;
}

export type ConnectorAuth = OAuth2Auth;

/**
 * An instance's credentials as a host keeps them, shared by every process
 * of a hub (Baton keeps them in its backend, encrypted at rest).
 */
export interface StoredCredentials {
  /** A hash of the auth settings from the config: a mismatch means the config changed, so start over. */
  fingerprint: string;
  accessToken?: string;
  /** When the access token expires (epoch ms); undefined when the provider did not say. */
  expiresAt?: number;
  /** The latest refresh token, when the provider rotated it. */
  refreshToken?: string;
  /** When the last refresh succeeded (epoch ms). */
  refreshedAt?: number;
  /** Set when a refresh was refused: the instance needs reconnecting (new credentials in its config). */
  invalid?: { reason: string; at: number };
}

/**
 * Where a host keeps credentials, by instance name. Baton's backends
 * implement it (in memory, or in Redis encrypted with BATON_CREDENTIALS_KEY);
 * `memoryCredentialStore()` serves a single process.
 */
export interface CredentialStore {
  get(instance: string): Promise<StoredCredentials | undefined>;
  set(instance: string, credentials: StoredCredentials): Promise<void>;
  /** Takes the refresh lock of `instance` for `ttlMs`: true for exactly one caller until it unlocks or the lock expires. */
  lock(instance: string, ttlMs: number): Promise<boolean>;
  unlock(instance: string): Promise<void>;
}

/** What a host shows about an instance's credentials (health API, dashboard, metrics). */
export interface CredentialStatus {
  /**
   * `none`: the instance uses no OAuth2; `unknown`: no token fetched yet;
   * `valid`: a token is held; `needs-reconnect`: a refresh was refused.
   */
  state: 'none' | 'unknown' | 'valid' | 'needs-reconnect';
  /** Why the instance needs reconnecting: the token endpoint's answer (`400 invalid_grant: …`). */
  reason?: string;
  /** When the refresh was refused (ISO 8601), with `needs-reconnect`. */
  invalidAt?: string;
  /** When the access token expires (ISO 8601), when the provider said. */
  expiresAt?: string;
  /** When the access token was last fetched (ISO 8601). */
  refreshedAt?: string;
}
