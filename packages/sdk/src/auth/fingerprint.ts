import { createHash } from 'node:crypto';
import type { OAuth2Auth } from './types';

/**
 * A SHA-256 of the settings of a grant that come from the config: grant,
 * token URL, client id and secret, refresh token, scope and extra
 * parameters. A stored record with another fingerprint belongs to other
 * settings and is ignored: changing the config (new credentials after a
 * revocation, say) is how an operator reconnects an instance. The secrets
 * are hashed, never stored as they are.
 */
export function authFingerprint(auth: OAuth2Auth): string {
  const extra = Object.entries(auth.extraParams ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const settings = [
    'baton-oauth2-v1',
    auth.grant,
    auth.tokenUrl,
    auth.clientId,
    auth.clientSecret ?? null,
    auth.refreshToken ?? null,
    auth.scope ?? null,
    extra,
  ];
  return createHash('sha256').update(JSON.stringify(settings)).digest('hex');
}
