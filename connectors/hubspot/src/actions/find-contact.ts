import { defineAction } from '@baton/sdk';
import { z } from 'zod';
import { config } from '../config';
import { hubspotError } from '../errors';
import { crmRecord, searchBy, toRecord } from '../schemas';

/** Properties read when the step names none. */
export const DEFAULT_CONTACT_PROPERTIES = [
  'email',
  'firstname',
  'lastname',
  'phone',
  'company',
  'lifecyclestage',
];

/** The input schema of `find-contact`. */
export const findContactInput = z.object({
  /** The contact's email; HubSpot compares it ignoring case. */
  email: z.email(),
  /** Contact properties to return, by internal name. */
  properties: z.array(z.string().min(1)).min(1).default(DEFAULT_CONTACT_PROPERTIES),
});

/** The output schema of `find-contact`. */
export const findContactOutput = z.object({
  found: z.boolean(),
  /** The contact, or null when there is none. */
  contact: crmRecord.nullable(),
});

/** What a step gives `find-contact`, before defaults. */
export type FindContactInput = z.input<typeof findContactInput>;
/** What `find-contact` returns. */
export type FindContactOutput = z.output<typeof findContactOutput>;

/** `POST /crm/v3/objects/contacts/search` on `email EQ …`. Finding nobody is an answer, not an error. */
export const findContact = defineAction({
  description: 'Finds a contact by email; `found` is false when there is none.',
  config,
  input: findContactInput,
  output: findContactOutput,
  examples: [
    {
      input: { email: 'jane.doe@example.com', properties: ['email', 'firstname', 'lifecyclestage'] },
      output: {
        found: true,
        contact: {
          id: '51',
          properties: {
            email: 'jane.doe@example.com',
            firstname: 'Jane',
            lifecyclestage: 'customer',
            hs_object_id: '51',
          },
          createdAt: '2025-01-06T10:00:00.000Z',
          updatedAt: '2025-01-06T10:00:00.000Z',
        },
      },
    },
  ],
  async run({ input, http }) {
    try {
      const { data } = await http.post(
        '/crm/v3/objects/contacts/search',
        searchBy('email', input.email, input.properties),
      );
      const first = (data as { results?: unknown[] }).results?.[0];
      return { found: first !== undefined, contact: first === undefined ? null : toRecord(first) };
    } catch (error) {
      throw hubspotError(error, `find the contact ${input.email}`);
    }
  },
});
