import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { DEFAULT_OAUTH_SETTINGS, type OAuthAuthority } from './authority';
import { SANDBOX_OAUTH_CLIENT_ID } from './constants';

const settingsSchema = z.strictObject({
  accessTokenTtlSeconds: z
    .number()
    .int()
    .min(1)
    .max(31_536_000)
    .default(DEFAULT_OAUTH_SETTINGS.accessTokenTtlSeconds),
  rotateRefreshTokens: z.boolean().default(DEFAULT_OAUTH_SETTINGS.rotateRefreshTokens),
  tokenLatencyMs: z.number().int().min(0).max(600_000).default(DEFAULT_OAUTH_SETTINGS.tokenLatencyMs),
});

const revokeSchema = z.strictObject({ refreshToken: z.string().min(1).optional() });

/**
 * What tests do to the authority, under `/_sandbox/oauth`:
 * - `GET /`, `PUT /`: its settings (a `PUT` replaces them; absent fields take their defaults)
 * - `POST /expire`: every access token issued so far expires now
 * - `POST /revoke` `{ refreshToken? }`: revokes one grant, or all
 * - `POST /refresh-tokens`: a new valid refresh token, as a user reconnecting gives
 * - `GET /stats`: token requests by grant, refusals, tokens issued
 */
export function oauthControl(authority: OAuthAuthority) {
  const app = new Hono();

  app.get('/', (c) => c.json({ settings: authority.settings, clientId: SANDBOX_OAUTH_CLIENT_ID }));

  app.put('/', async (c) => {
    const parsed = settingsSchema.safeParse(await optionalJson(c));
    if (!parsed.success) return c.json({ error: { message: z.prettifyError(parsed.error) } }, 400);
    authority.settings = parsed.data;
    return c.json({ settings: authority.settings });
  });

  app.post('/expire', (c) => c.json({ expired: authority.expireAll() }));

  app.post('/revoke', async (c) => {
    const parsed = revokeSchema.safeParse(await optionalJson(c));
    if (!parsed.success) return c.json({ error: { message: z.prettifyError(parsed.error) } }, 400);
    const revoked = authority.revoke(parsed.data.refreshToken);
    if (revoked === undefined) return c.json({ error: { message: 'unknown refresh token' } }, 404);
    return c.json({ revoked });
  });

  app.post('/refresh-tokens', (c) => c.json({ refreshToken: authority.mintRefreshToken() }, 201));

  app.get('/stats', (c) => c.json(authority.stats));

  return app;
}

/** A JSON body where an empty one means `{}`; a body that is not JSON stays invalid. */
async function optionalJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
