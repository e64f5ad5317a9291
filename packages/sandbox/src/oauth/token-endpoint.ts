import { type Context, Hono } from 'hono';
import type { OAuthAuthority, OAuthGrant } from './authority';
import { readClientCredentials } from './client-auth';

/** The errors of RFC 6749 §5.2 the endpoint answers. */
type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type';

const GRANTS: readonly string[] = ['refresh_token', 'client_credentials'] satisfies OAuthGrant[];
/** Parameters that may appear once only (RFC 6749 §3.2). */
const SINGLE = ['grant_type', 'refresh_token', 'client_id', 'client_secret', 'scope'];

/**
 * The token endpoint (RFC 6749 §3.2): `POST /token` with a form body,
 * `grant_type=refresh_token&refresh_token=…` or
 * `grant_type=client_credentials`, the client authenticated with HTTP Basic
 * or `client_id` and `client_secret` in the body.
 */
export function tokenEndpoint(authority: OAuthAuthority) {
  const app = new Hono();
  app.post('/token', async (c) => {
    const form = await readForm(c);
    // A request whose grant cannot be told (no form, grant_type repeated) counts as refused only.
    const grants = form?.getAll('grant_type') ?? [];
    const grant = grants.length === 1 ? grants[0] : undefined;
    if (grant === 'refresh_token' || grant === 'client_credentials')
      authority.stats.tokenRequests[grant] += 1;
    if (authority.settings.tokenLatencyMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, authority.settings.tokenLatencyMs));
    }
    const refuse = (status: 400 | 401, error: OAuthErrorCode, description: string, basic = false) => {
      authority.stats.refused += 1;
      if (basic) c.header('WWW-Authenticate', 'Basic realm="sandbox"');
      return answer(c, { error, error_description: description }, status);
    };

    if (!form) return refuse(400, 'invalid_request', 'The body must be application/x-www-form-urlencoded');
    const repeated = SINGLE.find((name) => form.getAll(name).length > 1);
    if (repeated) return refuse(400, 'invalid_request', `${repeated} is given more than once`);
    if (!grant) return refuse(400, 'invalid_request', 'grant_type is required');
    if (!GRANTS.includes(grant)) {
      return refuse(
        400,
        'unsupported_grant_type',
        `grant_type ${grant} is not supported; use ${GRANTS.join(' or ')}`,
      );
    }

    const client = readClientCredentials(c.req.header('authorization'), form);
    if (!client) return refuse(401, 'invalid_client', 'Client authentication is required');
    if ('malformed' in client) return refuse(400, 'invalid_request', client.malformed);
    if (!authority.authenticates(client.clientId, client.clientSecret)) {
      return refuse(401, 'invalid_client', 'Unknown client or wrong client secret', client.via === 'basic');
    }

    if (grant === 'client_credentials') return answer(c, authority.clientCredentials(), 200);
    const refreshToken = form.get('refresh_token');
    if (!refreshToken) return refuse(400, 'invalid_request', 'refresh_token is required');
    const outcome = authority.refresh(client.clientId, refreshToken);
    if ('invalid' in outcome) return refuse(400, 'invalid_grant', outcome.invalid);
    return answer(c, outcome, 200);
  });
  return app;
}

async function readForm(c: Context): Promise<URLSearchParams | undefined> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) return undefined;
  return new URLSearchParams(await c.req.text());
}

/** Token responses must not be cached (RFC 6749 §5.1). */
function answer(c: Context, body: object, status: 200 | 400 | 401): Response {
  c.header('Cache-Control', 'no-store');
  c.header('Pragma', 'no-cache');
  return c.json(body, status);
}
