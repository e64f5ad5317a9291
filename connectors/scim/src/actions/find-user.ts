import { defineAction } from '@baton/sdk';
import { z } from 'zod';
import { config } from '../config';
import { findUserByName } from '../lookup';
import { scimUser } from '../schemas';

/** The input schema of `find-user`. */
export const findUserInput = z.object({
  /** The userName to look for, usually the work email. SCIM compares it ignoring case. */
  userName: z.string().min(1),
});

/** The output schema of `find-user`. */
export const findUserOutput = z.object({
  found: z.boolean(),
  /** The user, or null when there is none. */
  user: scimUser.nullable(),
});

/** What a step gives `find-user`, before defaults. */
export type FindUserInput = z.input<typeof findUserInput>;
/** What `find-user` returns. */
export type FindUserOutput = z.output<typeof findUserOutput>;

/** `GET /Users?filter=userName eq "…"`. Finding nobody is an answer, not an error. */
export const findUser = defineAction({
  description: 'Finds a user by userName; `found` is false when there is none.',
  config,
  input: findUserInput,
  output: findUserOutput,
  examples: [
    {
      input: { userName: 'lena.fischer@acme.example' },
      output: {
        found: true,
        user: {
          id: '2c5d8a40-1f6e-4b7a-8c3d-000000000103',
          userName: 'lena.fischer@acme.example',
          active: true,
          displayName: 'Lena Fischer',
          emails: [{ value: 'lena.fischer@acme.example', type: 'work', primary: true }],
          groups: [{ value: '7f0c2a8e-5b1d-4c3e-9a10-0000000000e1', display: 'engineering' }],
        },
      },
    },
  ],
  async run({ input, http }) {
    const user = await findUserByName(http, input.userName);
    return { found: user !== undefined, user: user ?? null };
  },
});
