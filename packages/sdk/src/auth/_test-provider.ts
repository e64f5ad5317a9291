import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { defineAction, defineConnector } from '../define';
import { createTestServer, type RecordedRequest, type TestResponse } from '../testing/test-server';
import { oauth2ClientCredentials, oauth2RefreshToken } from './grants';

/** Test fixtures: an OAuth2 provider on loopback (token endpoint and API) and a connector for it. */

export const CLIENT_SECRET = 'cs-super-secret-0001';
export const REFRESH_TOKEN = 'rt-initial-secret-0001';

export interface ProviderOptions {
  /** `expires_in` of issued tokens, in seconds; undefined to leave it out. @default 3600 */
  expiresIn?: number | undefined;
  /** Whether a refresh issues a new refresh token and retires the old one. @default true */
  rotate?: boolean;
  /** The token endpoint's delay. @default 0 */
  tokenDelayMs?: number;
}

/**
 * A token endpoint at `/oauth/token` (client credentials with the client
 * authenticated in the body or with Basic, refresh tokens rotated) that
 * counts its requests, and an API that answers 401 to any token it did not
 * issue or has revoked.
 */
export async function startProvider(options: ProviderOptions = {}) {
  let issued = 0;
  const state = {
    expiresIn: 'expiresIn' in options ? options.expiresIn : 3600,
    rotate: options.rotate ?? true,
    tokenDelayMs: options.tokenDelayMs ?? 0,
    /** Answers the token endpoint with this instead, while set. */
    tokenAnswer: undefined as TestResponse | undefined,
    accessTokens: new Set<string>(),
    refreshTokens: new Set([REFRESH_TOKEN]),
    tokenRequests: [] as RecordedRequest[],
    apiRequests: [] as RecordedRequest[],
    /** Every access token issued, in order. */
    issued: [] as string[],
  };

  const token = (request: RecordedRequest): TestResponse => {
    state.tokenRequests.push(request);
    if (state.tokenAnswer) return { ...state.tokenAnswer, delayMs: state.tokenDelayMs };
    const form = (request.parsed ?? {}) as Record<string, string>;
    const basic = request.headers.authorization?.replace(/^Basic /, '');
    const [id, secret] = basic
      ? Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent)
      : [form.client_id, form.client_secret];
    if (id !== 'baton-test' || secret !== CLIENT_SECRET) {
      return { status: 401, json: { error: 'invalid_client' }, delayMs: state.tokenDelayMs };
    }
    const answer: Record<string, unknown> = { token_type: 'Bearer' };
    if (form.grant_type === 'refresh_token') {
      if (!form.refresh_token || !state.refreshTokens.has(form.refresh_token)) {
        return {
          status: 400,
          json: {
            error: 'invalid_grant',
            error_description: `refresh token ${form.refresh_token} was revoked`,
          },
          delayMs: state.tokenDelayMs,
        };
      }
      if (state.rotate) {
        state.refreshTokens.delete(form.refresh_token);
        const next = `rt-rotated-${randomBytes(6).toString('hex')}`;
        state.refreshTokens.add(next);
        answer.refresh_token = next;
      }
    } else if (form.grant_type !== 'client_credentials') {
      return { status: 400, json: { error: 'unsupported_grant_type' }, delayMs: state.tokenDelayMs };
    }
    issued++;
    const accessToken = `at-${issued}-${randomBytes(8).toString('hex')}`;
    state.accessTokens.add(accessToken);
    state.issued.push(accessToken);
    answer.access_token = accessToken;
    if (state.expiresIn !== undefined) answer.expires_in = state.expiresIn;
    return { json: answer, delayMs: state.tokenDelayMs };
  };

  const server = await createTestServer((request) => {
    if (request.path === '/oauth/token' && request.method === 'POST') return token(request);
    state.apiRequests.push(request);
    const bearer = request.headers.authorization?.replace(/^Bearer /, '');
    if (!bearer || !state.accessTokens.has(bearer)) return { status: 401, json: { error: 'invalid_token' } };
    if (request.path === '/echo-500') return { status: 500, json: { youSent: request.headers } };
    return { json: { token: bearer, path: request.path, body: request.parsed ?? null } };
  });

  return {
    state,
    server,
    url: server.url,
    tokenUrl: `${server.url}/oauth/token`,
    /** The API stops accepting every token issued so far. */
    revokeAccessTokens() {
      state.accessTokens.clear();
    },
    /** The user revoked the grant: no refresh token works any more. */
    revokeRefreshTokens() {
      state.refreshTokens.clear();
    },
    close: () => server.close(),
    [Symbol.asyncDispose]: () => server.close(),
  };
}

export type TestProvider = Awaited<ReturnType<typeof startProvider>>;

const config = z.object({
  baseUrl: z.string().url(),
  tokenUrl: z.string().url(),
  clientId: z.string(),
  clientSecret: z.string(),
  refreshToken: z.string().optional(),
  clientAuthentication: z.enum(['body', 'basic']).optional(),
  refreshAheadMs: z.number().optional(),
  scope: z.string().optional(),
});

/** A connector whose instances use the refresh-token grant when configured with one, else client credentials. */
export const crm = defineConnector({
  name: 'crm',
  config,
  auth: (cfg) => {
    const common = {
      tokenUrl: cfg.tokenUrl,
      clientId: cfg.clientId,
      clientAuthentication: cfg.clientAuthentication,
      refreshAheadMs: cfg.refreshAheadMs,
      scope: cfg.scope,
    };
    return cfg.refreshToken
      ? oauth2RefreshToken({ ...common, clientSecret: cfg.clientSecret, refreshToken: cfg.refreshToken })
      : oauth2ClientCredentials({
          ...common,
          clientSecret: cfg.clientSecret,
          extraParams: { audience: 'crm-api' },
        });
  },
  check: async ({ http }) => {
    await http.get('/me');
  },
  actions: {
    'get-me': defineAction({
      input: z.object({ path: z.string().default('/me') }),
      output: z.object({ token: z.string() }),
      examples: [{ input: {} }],
      async run({ input, http, log }) {
        const { data } = await http.get(input.path);
        log.info('got me', { data });
        return { token: String(data.token) };
      },
    }),
    'create-note': defineAction({
      input: z.object({ text: z.string() }),
      output: z.object({ body: z.unknown() }),
      examples: [{ input: { text: 'hi' } }],
      async run({ input, http }) {
        const { data } = await http.post('/notes', input);
        return { body: data.body };
      },
    }),
    /** Copies the API's answer into its error: the token it echoes must still not leak. */
    leak: defineAction({
      input: z.object({}),
      output: z.object({}),
      examples: [{ input: {} }],
      async run({ http }) {
        const { data } = await http.get('/me');
        throw new Error(`the API said ${JSON.stringify(data)}`);
      },
    }),
  },
});

/** A config for `crm` against `provider`. */
export function crmConfig(provider: TestProvider, extra: Record<string, unknown> = {}) {
  return {
    baseUrl: provider.url,
    tokenUrl: provider.tokenUrl,
    clientId: 'baton-test',
    clientSecret: CLIENT_SECRET,
    refreshToken: REFRESH_TOKEN,
    ...extra,
  };
}
