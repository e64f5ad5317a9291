import { randomBytes } from 'node:crypto';
import type { SandboxState } from '../state';
import {
  OAUTH_ACCESS_TOKEN_PREFIX,
  OAUTH_REFRESH_TOKEN_PREFIX,
  SANDBOX_OAUTH_CLIENT_ID,
  SANDBOX_OAUTH_CLIENT_SECRET,
  SANDBOX_OAUTH_REFRESH_TOKEN,
} from './constants';

/** How the authority behaves; `PUT /_sandbox/oauth` replaces it. */
export interface OAuthSettings {
  /** Lifetime of an access token, in seconds (`expires_in`). @default 1800 */
  accessTokenTtlSeconds: number;
  /** Answer every refresh with a new refresh token and retire the one used. @default false */
  rotateRefreshTokens: boolean;
  /** Added before every token endpoint answer, in milliseconds. @default 0 */
  tokenLatencyMs: number;
}

export const DEFAULT_OAUTH_SETTINGS: Readonly<OAuthSettings> = {
  accessTokenTtlSeconds: 1800,
  rotateRefreshTokens: false,
  tokenLatencyMs: 0,
};

/** The grants the token endpoint supports. */
export type OAuthGrant = 'refresh_token' | 'client_credentials';

/** What `GET /_sandbox/oauth/stats` answers. */
export interface OAuthStats {
  /** Every token request with a supported `grant_type`, refused ones included. */
  tokenRequests: Record<OAuthGrant, number>;
  /** Token requests answered with an error. */
  refused: number;
  /** Access tokens issued. */
  issued: number;
}

/** A successful token response (RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token?: string;
}

/** What an access token is worth to the system it is sent to. */
export type AccessTokenStatus =
  | { status: 'valid' }
  | { status: 'expired'; expiredAt: number }
  | { status: 'revoked' }
  | { status: 'unknown' };

interface RefreshTokenRecord {
  clientId: string;
  /** The grant it descends from: rotation keeps it, revocation takes the whole family. */
  family: string;
  state: 'live' | 'rotated' | 'revoked';
}

interface AccessTokenRecord {
  family: string | undefined;
  expiresAt: number;
  revoked: boolean;
}

/**
 * An OAuth2 authorization server (RFC 6749) reduced to what a hub needs:
 * confidential clients, the refresh-token and client-credentials grants,
 * opaque access tokens that expire, refresh tokens that rotate and can be
 * revoked. Systems ask it whether a bearer token is live.
 */
export class OAuthAuthority {
  settings: OAuthSettings = { ...DEFAULT_OAUTH_SETTINGS };
  stats: OAuthStats = freshStats();
  private readonly clients = new Map([[SANDBOX_OAUTH_CLIENT_ID, SANDBOX_OAUTH_CLIENT_SECRET]]);
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private readonly accessTokens = new Map<string, AccessTokenRecord>();

  constructor() {
    this.seed();
  }

  /** True when `clientId` is known and `clientSecret` is its secret. */
  authenticates(clientId: string, clientSecret: string): boolean {
    return this.clients.get(clientId) === clientSecret;
  }

  /** The refresh-token grant: a new access token, or why not. */
  refresh(clientId: string, refreshToken: string, now = Date.now()): TokenResponse | { invalid: string } {
    const record = this.refreshTokens.get(refreshToken);
    if (!record || record.clientId !== clientId) return { invalid: 'The refresh token is not known' };
    if (record.state === 'revoked') return { invalid: 'The refresh token was revoked' };
    if (record.state === 'rotated') return { invalid: 'The refresh token was already used and replaced' };
    let next = refreshToken;
    if (this.settings.rotateRefreshTokens) {
      record.state = 'rotated';
      next = this.mintRefreshToken(clientId, record.family);
    }
    return { ...this.issue(record.family, now), refresh_token: next };
  }

  /** The client-credentials grant: an access token of the client's own, with no refresh token. */
  clientCredentials(now = Date.now()): TokenResponse {
    return this.issue(undefined, now);
  }

  /** Whether `token`, sent by a client as a bearer token, is live. */
  check(token: string, now = Date.now()): AccessTokenStatus {
    const record = this.accessTokens.get(token);
    if (!record) return { status: 'unknown' };
    if (record.revoked) return { status: 'revoked' };
    if (now >= record.expiresAt) return { status: 'expired', expiredAt: record.expiresAt };
    return { status: 'valid' };
  }

  /** Expires every access token issued so far; returns how many were live. */
  expireAll(now = Date.now()): number {
    let expired = 0;
    for (const record of this.accessTokens.values()) {
      if (record.expiresAt > now && !record.revoked) expired += 1;
      record.expiresAt = Math.min(record.expiresAt, now);
    }
    return expired;
  }

  /**
   * Revokes the grant of `refreshToken` (the token, the ones rotated from or
   * into it, and every access token issued from them), or of every refresh
   * token when none is named. Returns how many refresh tokens were live, or
   * undefined for a token the authority never minted.
   */
  revoke(refreshToken?: string): number | undefined {
    let families: Set<string>;
    if (refreshToken === undefined) {
      families = new Set([...this.refreshTokens.values()].map((r) => r.family));
    } else {
      const record = this.refreshTokens.get(refreshToken);
      if (!record) return undefined;
      families = new Set([record.family]);
    }
    let revoked = 0;
    for (const record of this.refreshTokens.values()) {
      if (!families.has(record.family)) continue;
      if (record.state === 'live') revoked += 1;
      record.state = 'revoked';
    }
    for (const record of this.accessTokens.values()) {
      if (record.family !== undefined && families.has(record.family)) record.revoked = true;
    }
    return revoked;
  }

  /** A new live refresh token for `clientId`, as a user reconnecting the app would give. */
  mintRefreshToken(clientId = SANDBOX_OAUTH_CLIENT_ID, family?: string): string {
    const token = `${OAUTH_REFRESH_TOKEN_PREFIX}${opaque()}`;
    this.refreshTokens.set(token, { clientId, family: family ?? token, state: 'live' });
    return token;
  }

  /** Back to the start: default settings, no tokens but the seeded refresh token, no counts. */
  reset(): void {
    this.settings = { ...DEFAULT_OAUTH_SETTINGS };
    this.stats = freshStats();
    this.refreshTokens.clear();
    this.accessTokens.clear();
    this.seed();
  }

  private issue(family: string | undefined, now: number): TokenResponse {
    const token = `${OAUTH_ACCESS_TOKEN_PREFIX}${opaque()}`;
    const ttl = this.settings.accessTokenTtlSeconds;
    this.accessTokens.set(token, { family, expiresAt: now + ttl * 1000, revoked: false });
    this.stats.issued += 1;
    return { access_token: token, token_type: 'bearer', expires_in: ttl };
  }

  private seed(): void {
    this.refreshTokens.set(SANDBOX_OAUTH_REFRESH_TOKEN, {
      clientId: SANDBOX_OAUTH_CLIENT_ID,
      family: SANDBOX_OAUTH_REFRESH_TOKEN,
      state: 'live',
    });
  }
}

function freshStats(): OAuthStats {
  return { tokenRequests: { refresh_token: 0, client_credentials: 0 }, refused: 0, issued: 0 };
}

function opaque(): string {
  return randomBytes(24).toString('base64url');
}

const authorities = new WeakMap<SandboxState, OAuthAuthority>();

/** The OAuth2 authority of a sandbox's state: made on first use, back to its seed on every reset. */
export function oauthAuthorityOf(state: SandboxState): OAuthAuthority {
  const known = authorities.get(state);
  if (known) return known;
  const authority = new OAuthAuthority();
  state.onReset(() => authority.reset());
  authorities.set(state, authority);
  return authority;
}
