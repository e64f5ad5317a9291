import { defineAction, NonRetryableError } from '@baton/sdk';
import { z } from 'zod';
import { config } from '../config';
import { scimError } from '../errors';
import { findUserByName } from '../lookup';
import { SCIM, toUser } from '../schemas';

/** The input schema of `deactivate-user`. */
export const deactivateUserInput = z
  .object({
    /** The SCIM id of the user. */
    userId: z.string().min(1).optional(),
    /** Or the userName, looked up first. */
    userName: z.string().min(1).optional(),
  })
  .refine((v) => (v.userId === undefined) !== (v.userName === undefined), {
    error: 'give either userId or userName',
  });

/** The output schema of `deactivate-user`. */
export const deactivateUserOutput = z.object({
  id: z.string(),
  userName: z.string().optional(),
  active: z.literal(false),
});

/** What a step gives `deactivate-user`, before defaults. */
export type DeactivateUserInput = z.input<typeof deactivateUserInput>;
/** What `deactivate-user` returns. */
export type DeactivateUserOutput = z.output<typeof deactivateUserOutput>;

/**
 * `PATCH /Users/{id}` replacing `active` with false: the account stays, but
 * cannot sign in. Deactivating an inactive user succeeds again, so retries
 * are safe.
 */
export const deactivateUser = defineAction({
  description: 'Deactivates a user (active=false) by id or userName.',
  config,
  input: deactivateUserInput,
  output: deactivateUserOutput,
  examples: [
    {
      input: { userName: 'tom.becker@acme.example' },
      output: {
        id: '2c5d8a40-1f6e-4b7a-8c3d-000000000106',
        userName: 'tom.becker@acme.example',
        active: false,
      },
    },
  ],
  async run({ input, http }) {
    let id = input.userId;
    if (id === undefined) {
      const user = await findUserByName(http, input.userName!);
      if (!user) {
        throw new NonRetryableError(`The directory has no user "${input.userName}" to deactivate`, {
          code: 'SCIM_NOT_FOUND',
        });
      }
      id = user.id;
    }
    try {
      const { data, status } = await http.patch(`/Users/${encodeURIComponent(id)}`, {
        schemas: [SCIM.patchOp],
        Operations: [{ op: 'replace', value: { active: false } }],
      });
      // 204 No Content is allowed by RFC 7644 §3.5.2.
      const userName = status === 204 ? input.userName : toUser(data).userName;
      return { id, ...(userName !== undefined ? { userName } : {}), active: false as const };
    } catch (error) {
      throw scimError(error, `deactivate user ${id}`);
    }
  },
});
