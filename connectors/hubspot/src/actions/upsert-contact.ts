import { defineAction, NonRetryableError } from '@baton/sdk';
import { z } from 'zod';
import { config } from '../config';
import { hubspotError } from '../errors';
import { crmRecord, propertyInput, toProperties, toRecord } from '../schemas';

/** The input schema of `upsert-contact`. */
export const upsertContactInput = z.object({
  /** The contact's email: the key the contact is created or updated by. */
  email: z.email(),
  firstname: z.string().optional(),
  lastname: z.string().optional(),
  phone: z.string().optional(),
  company: z.string().optional(),
  /** Any other contact properties, by internal name; `null` clears one. */
  properties: z.record(z.string().min(1), propertyInput).default({}),
});

/** The output schema of `upsert-contact`. */
export const upsertContactOutput = crmRecord.extend({
  /** True when the contact did not exist and was created. */
  created: z.boolean(),
});

/** What a step gives `upsert-contact`, before defaults. */
export type UpsertContactInput = z.input<typeof upsertContactInput>;
/** What `upsert-contact` returns. */
export type UpsertContactOutput = z.output<typeof upsertContactOutput>;

interface BatchAnswer {
  results?: Array<Record<string, unknown> & { new?: boolean }>;
  errors?: Array<{ message?: string; category?: string }>;
}

/**
 * Creates or updates the contact with this email in one call, through
 * `POST /crm/v3/objects/contacts/batch/upsert` with `idProperty: "email"`.
 * Idempotent: a retried step updates the same contact to the same values.
 */
export const upsertContact = defineAction({
  description: 'Creates the contact with this email, or updates it when it exists.',
  config,
  input: upsertContactInput,
  output: upsertContactOutput,
  examples: [
    {
      description: 'The customer of an order',
      input: {
        email: 'new.buyer@example.com',
        firstname: 'Nia',
        lastname: 'Okafor',
        properties: { lifecyclestage: 'customer' },
      },
      output: {
        id: '53',
        properties: {
          email: 'new.buyer@example.com',
          firstname: 'Nia',
          lastname: 'Okafor',
          lifecyclestage: 'customer',
          hs_object_id: '53',
        },
        createdAt: '2025-01-06T10:00:00.000Z',
        updatedAt: '2025-01-06T10:00:00.000Z',
        created: true,
      },
    },
  ],
  async run({ input, http }) {
    const { email, properties, ...named } = input;
    const values = toProperties({ ...named, ...properties });
    let data: BatchAnswer;
    try {
      ({ data } = await http.post('/crm/v3/objects/contacts/batch/upsert', {
        inputs: [{ idProperty: 'email', id: email, properties: values }],
      }));
    } catch (error) {
      throw hubspotError(error, `upsert the contact ${email}`);
    }
    const result = data.results?.[0];
    if (!result) {
      // A 207 Multi-Status carries per-input errors instead of a result.
      const first = data.errors?.[0];
      throw new NonRetryableError(
        `HubSpot did not upsert the contact ${email}: ${first?.message ?? 'no result'}`,
        {
          code: `HUBSPOT_${first?.category && /^[A-Z_]+$/.test(first.category) ? first.category : 'UPSERT_FAILED'}`,
        },
      );
    }
    return { ...toRecord(result), created: result.new === true };
  },
});
