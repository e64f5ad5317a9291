import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import type { SandboxState } from '../../state';
import { readOptionalBody } from './http';

/** Where the company's login page lets a user choose a new password. */
const RESET_PAGE = 'https://login.acme.example/reset-password';

const issueInput = z.strictObject({
  email: z.email().optional(),
  /** How long the token stays valid. */
  ttlMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
});

interface ResetToken {
  token: string;
  userId: string;
  email?: string;
  resetUrl: string;
  expiresAt: string;
  createdAt: string;
}

/**
 * The identity system's password resets: `POST /users/:id/reset-tokens`
 * (body optional: `{ email?, ttlMinutes? }`) issues a one-time token and
 * the link to send the user (201 `{ token, userId, resetUrl, expiresAt,
 * … }`); a repeated `Idempotency-Key` gets the same token back.
 * `GET /users/:id/reset-tokens` lists what was issued. Any user id is
 * accepted: accounts live in the SCIM and HR systems.
 */
export function resetTokensApi(state: SandboxState) {
  const tokens: ResetToken[] = [];
  const app = new Hono();

  app.post('/users/:id/reset-tokens', async (c) => {
    const body = await readOptionalBody(c, issueInput);
    if ('answer' in body) return body.answer;
    const userId = c.req.param('id');
    const now = new Date();
    const token = `rst_${randomBytes(24).toString('base64url')}`;
    const issued: ResetToken = {
      token,
      userId,
      ...(body.data.email ? { email: body.data.email } : {}),
      resetUrl: `${RESET_PAGE}?token=${token}`,
      expiresAt: new Date(now.getTime() + body.data.ttlMinutes * 60_000).toISOString(),
      createdAt: now.toISOString(),
    };
    tokens.push(issued);
    // The token stays out of the ledger, as a real audit log would keep it.
    state.effect('ops', 'password_reset.token_issued', userId, { expiresAt: issued.expiresAt });
    return c.json(issued, 201);
  });

  app.get('/users/:id/reset-tokens', (c) =>
    c.json({ tokens: tokens.filter((t) => t.userId === c.req.param('id')) }),
  );

  return {
    app,
    reset() {
      tokens.length = 0;
    },
  };
}
