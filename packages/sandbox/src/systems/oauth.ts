import { oauthAuthorityOf } from '../oauth/authority';
import { oauthControl } from '../oauth/control';
import { tokenEndpoint } from '../oauth/token-endpoint';
import { defineSystem } from '../system';

/**
 * An OAuth2 authorization server (RFC 6749): the token endpoint at
 * `/oauth/token` and, for HubSpot, at HubSpot's own path
 * `/hubspot/oauth/v1/token`. Both are the same authority: systems that take
 * OAuth2 tokens (HubSpot) accept what it issued while it is live. Seeded with
 * the client `sandbox-client` / `sandbox-secret` and its refresh token
 * `sandbox-refresh-token`. Tests steer it under `/_sandbox/oauth` (see
 * `oauth/control.ts`).
 */
export const oauthSystem = defineSystem({
  name: 'oauth',
  prefix: '/oauth',
  aliases: ['/hubspot/oauth/v1'],
  description: 'OAuth2 token endpoint (refresh_token, client_credentials), also at /hubspot/oauth/v1/token',
  errorBody: (_status, message) => ({ error: 'temporarily_unavailable', error_description: message }),
  create(state, control) {
    const authority = oauthAuthorityOf(state);
    control.route('/', oauthControl(authority));
    return tokenEndpoint(authority);
  },
});
