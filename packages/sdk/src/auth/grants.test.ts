import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineAction, defineConnector } from '../define';
import { oauth2ClientCredentials, oauth2RefreshToken } from './grants';
import type { OAuth2Auth } from './types';

describe('OAuth2 grant helpers', () => {
  it('build the OAuth2Auth of each grant, leaving out what is undefined', () => {
    expect(
      oauth2ClientCredentials({
        tokenUrl: 'https://id.example/token',
        clientId: 'app',
        clientSecret: 'shh-123456',
        scope: undefined,
      }),
    ).toEqual({
      type: 'oauth2',
      grant: 'client_credentials',
      tokenUrl: 'https://id.example/token',
      clientId: 'app',
      clientSecret: 'shh-123456',
    });
    expect(
      oauth2RefreshToken({
        tokenUrl: 'https://id.example/token',
        clientId: 'app',
        refreshToken: 'rt-123456',
        clientAuthentication: 'basic',
        extraParams: { audience: 'api' },
      }),
    ).toEqual({
      type: 'oauth2',
      grant: 'refresh_token',
      tokenUrl: 'https://id.example/token',
      clientId: 'app',
      refreshToken: 'rt-123456',
      clientAuthentication: 'basic',
      extraParams: { audience: 'api' },
    });
  });

  it('type a connector auth that is optional per config', () => {
    const settings = z.object({
      oauth: z
        .object({ clientId: z.string(), clientSecret: z.string(), refreshToken: z.string() })
        .optional(),
      apiKey: z.string().optional(),
    });
    const connector = defineConnector({
      name: 'typed',
      config: settings,
      auth: (cfg) =>
        cfg.oauth ? oauth2RefreshToken({ tokenUrl: 'https://id.example/token', ...cfg.oauth }) : undefined,
      actions: { noop: defineAction({ input: z.object({}), output: z.object({}), run: async () => ({}) }) },
    });
    expectTypeOf(connector.auth).toEqualTypeOf<
      ((config: z.output<typeof settings>) => OAuth2Auth | undefined) | undefined
    >();
    // @ts-expect-error the refresh-token grant needs a refresh token
    oauth2RefreshToken({ tokenUrl: 'x', clientId: 'y' });
    // @ts-expect-error client credentials need a client secret
    oauth2ClientCredentials({ tokenUrl: 'x', clientId: 'y' });
  });
});
