import { defineAction, NonRetryableError } from '@baton/sdk';
import { z } from 'zod';
import { config } from '../config';
import { scimError } from '../errors';
import { findUserByName } from '../lookup';
import { SCIM, scimUser, toUser } from '../schemas';

/** The input schema of `create-user`. */
export const createUserInput = z.object({
  /** The unique sign-in name, usually the work email. */
  userName: z.string().min(1),
  givenName: z.string().min(1),
  familyName: z.string().min(1),
  /** @default "<givenName> <familyName>" */
  displayName: z.string().min(1).optional(),
  /** The work email. @default userName, when it is an email */
  email: z.email().optional(),
  /** Your own id for the person, such as the HR employee id; numbers are sent as text. */
  externalId: z
    .union([z.string().min(1), z.number()])
    .transform(String)
    .optional(),
  title: z.string().optional(),
  /** Sent in the enterprise extension (`urn:…:enterprise:2.0:User`). */
  department: z.string().optional(),
  /** Sent in the enterprise extension. */
  employeeNumber: z.string().optional(),
  /** @default true */
  active: z.boolean().default(true),
  /**
   * What a duplicate userName (409 `uniqueness`) means: `error` fails the
   * step with `SCIM_UNIQUENESS`; `return-existing` returns the user already
   * there with `created: false`, which makes the step idempotent, including
   * a retry after a create whose answer was lost.
   * @default "error"
   */
  onConflict: z.enum(['error', 'return-existing']).default('error'),
});

/** The output schema of `create-user`. */
export const createUserOutput = scimUser.extend({
  /** False when `onConflict: "return-existing"` found the user already there. */
  created: z.boolean(),
});

/** What a step gives `create-user`, before defaults. */
export type CreateUserInput = z.input<typeof createUserInput>;
/** What `create-user` returns. */
export type CreateUserOutput = z.output<typeof createUserOutput>;

/** `POST /Users` with an RFC 7643 User; 409 handled as `onConflict` says. */
export const createUser = defineAction({
  description:
    'Creates a user account; a duplicate userName fails with SCIM_UNIQUENESS or returns the existing user.',
  config,
  input: createUserInput,
  output: createUserOutput,
  examples: [
    {
      description: 'Provision a new hire, tolerating a retry',
      input: {
        userName: 'priya.raman@acme.example',
        givenName: 'Priya',
        familyName: 'Raman',
        externalId: '105',
        department: 'Engineering',
        onConflict: 'return-existing',
      },
      output: {
        id: '9a1b7c52-0d3e-4f60-8a21-5b9c3d2e1f00',
        userName: 'priya.raman@acme.example',
        active: true,
        externalId: '105',
        displayName: 'Priya Raman',
        name: { givenName: 'Priya', familyName: 'Raman' },
        emails: [{ value: 'priya.raman@acme.example', type: 'work', primary: true }],
        groups: [],
        created: true,
      },
    },
  ],
  async run({ input, http, log }) {
    const email = input.email ?? (z.email().safeParse(input.userName).success ? input.userName : undefined);
    const enterprise = {
      ...(input.department !== undefined ? { department: input.department } : {}),
      ...(input.employeeNumber !== undefined ? { employeeNumber: input.employeeNumber } : {}),
    };
    const user = {
      schemas: [SCIM.user, ...(Object.keys(enterprise).length > 0 ? [SCIM.enterpriseUser] : [])],
      userName: input.userName,
      name: { givenName: input.givenName, familyName: input.familyName },
      displayName: input.displayName ?? `${input.givenName} ${input.familyName}`,
      active: input.active,
      ...(email ? { emails: [{ value: email, type: 'work', primary: true }] } : {}),
      ...(input.externalId !== undefined ? { externalId: input.externalId } : {}),
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(Object.keys(enterprise).length > 0 ? { [SCIM.enterpriseUser]: enterprise } : {}),
    };
    try {
      const { data } = await http.post('/Users', user);
      return { ...toUser(data), created: true };
    } catch (error) {
      const mapped = scimError(error, `create user "${input.userName}"`);
      if (!(mapped instanceof NonRetryableError) || mapped.code !== 'SCIM_UNIQUENESS') throw mapped;
      if (input.onConflict === 'error') throw mapped;
      const existing = await findUserByName(http, input.userName);
      if (!existing) throw mapped;
      log.info('user already exists; returning it', { userName: input.userName, id: existing.id });
      return { ...existing, created: false };
    }
  },
});
