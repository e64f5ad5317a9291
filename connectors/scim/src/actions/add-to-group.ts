import { defineAction, NonRetryableError } from '@baton/sdk';
import { z } from 'zod';
import { config } from '../config';
import { scimError } from '../errors';
import { findGroupByName } from '../lookup';
import { SCIM } from '../schemas';

/** The input schema of `add-to-group`. */
export const addToGroupInput = z
  .object({
    /** The SCIM id of the user to add. */
    userId: z.string().min(1),
    /** The group's SCIM id. */
    groupId: z.string().min(1).optional(),
    /** Or its displayName, looked up first (SCIM compares it ignoring case). */
    groupName: z.string().min(1).optional(),
  })
  .refine((v) => (v.groupId === undefined) !== (v.groupName === undefined), {
    error: 'give either groupId or groupName',
  });

/** The output schema of `add-to-group`. */
export const addToGroupOutput = z.object({
  groupId: z.string(),
  groupName: z.string().optional(),
  userId: z.string(),
});

/** What a step gives `add-to-group`, before defaults. */
export type AddToGroupInput = z.input<typeof addToGroupInput>;
/** What `add-to-group` returns. */
export type AddToGroupOutput = z.output<typeof addToGroupOutput>;

/**
 * `PATCH /Groups/{id}` adding the user to `members`. Adding a member who is
 * already there is not an error for SCIM providers, so retries are safe.
 */
export const addToGroup = defineAction({
  description: 'Adds a user to a group, by group id or displayName.',
  config,
  input: addToGroupInput,
  output: addToGroupOutput,
  examples: [
    {
      input: { userId: '9a1b7c52-0d3e-4f60-8a21-5b9c3d2e1f00', groupName: 'engineering' },
      output: {
        groupId: '7f0c2a8e-5b1d-4c3e-9a10-0000000000e1',
        groupName: 'engineering',
        userId: '9a1b7c52-0d3e-4f60-8a21-5b9c3d2e1f00',
      },
    },
  ],
  async run({ input, http }) {
    let group: { id: string; displayName?: string } | undefined = input.groupId
      ? { id: input.groupId }
      : undefined;
    if (!group) {
      group = await findGroupByName(http, input.groupName!);
      if (!group) {
        throw new NonRetryableError(`The directory has no group named "${input.groupName}"`, {
          code: 'SCIM_GROUP_NOT_FOUND',
        });
      }
    }
    try {
      await http.patch(`/Groups/${encodeURIComponent(group.id)}`, {
        schemas: [SCIM.patchOp],
        Operations: [{ op: 'add', path: 'members', value: [{ value: input.userId }] }],
      });
    } catch (error) {
      throw scimError(error, `add user ${input.userId} to group ${group.displayName ?? group.id}`);
    }
    return {
      groupId: group.id,
      ...(group.displayName !== undefined ? { groupName: group.displayName } : {}),
      userId: input.userId,
    };
  },
});
