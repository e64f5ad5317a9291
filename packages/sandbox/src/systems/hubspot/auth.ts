import type { MiddlewareHandler } from 'hono';
import { type AccessTokenStatus, oauthAuthorityOf } from '../../oauth/authority';
import { OAUTH_ACCESS_TOKEN_PREFIX } from '../../oauth/constants';
import type { SandboxState } from '../../state';
import { HubspotError } from './errors';

/**
 * HubSpot's bearer authentication. A token with the prefix of the sandbox's
 * OAuth2 authority (`sbx-oat-`) must be one it issued and that is still live:
 * an expired or revoked one gets HubSpot's 401 `EXPIRED_AUTHENTICATION`.
 * Any other non-empty token stands for a private app's static token and is
 * accepted.
 */
export function hubspotAuth(state: SandboxState): MiddlewareHandler {
  return async (c, next) => {
    const token = /^Bearer\s+(\S+)/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (!token) {
      throw new HubspotError(
        401,
        'INVALID_AUTHENTICATION',
        'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
      );
    }
    if (token.startsWith(OAUTH_ACCESS_TOKEN_PREFIX)) {
      const refusal = oauthRefusal(oauthAuthorityOf(state).check(token));
      if (refusal) throw refusal;
    }
    await next();
  };
}

function oauthRefusal(token: AccessTokenStatus, now = Date.now()): HubspotError | undefined {
  switch (token.status) {
    case 'valid':
      return undefined;
    case 'expired':
      return new HubspotError(
        401,
        'EXPIRED_AUTHENTICATION',
        `The OAuth token used to make this call expired ${ago(now - token.expiredAt)} ago.`,
      );
    case 'revoked':
      return new HubspotError(
        401,
        'EXPIRED_AUTHENTICATION',
        'The OAuth token used to make this call expired: its app authorization was revoked.',
      );
    case 'unknown':
      return new HubspotError(
        401,
        'INVALID_AUTHENTICATION',
        'The OAuth token used to make this call is not valid: the sandbox issued no such token (or was reset since).',
      );
  }
}

/** HubSpot's way of saying how long ago: `42 second(s)`, `3 minute(s)`, `1 day(s)`. */
function ago(ms: number): string {
  const units: Array<[string, number]> = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
  ];
  for (const [unit, size] of units) if (ms >= size) return `${Math.floor(ms / size)} ${unit}(s)`;
  return `${Math.floor(ms / 1000)} second(s)`;
}
