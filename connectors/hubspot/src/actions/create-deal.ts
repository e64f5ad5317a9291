import { defineAction, type HttpClient, NonRetryableError } from '@baton/sdk';
import { z } from 'zod';
import { config } from '../config';
import { hubspotError } from '../errors';
import { crmRecord, propertyInput, searchBy, toProperties, toRecord } from '../schemas';

/** HubSpot's `HUBSPOT_DEFINED` association type from a deal to a contact. */
const DEAL_TO_CONTACT = 3;

/** The input schema of `create-deal`. */
export const createDealInput = z.object({
  dealname: z.string().min(1),
  /** The deal amount, in the deal's currency (not in cents). */
  amount: z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).optional(),
  /** The pipeline's internal id. @default "default" */
  pipeline: z.string().min(1).default('default'),
  /** The stage's internal id, such as `appointmentscheduled` or `closedwon`. @default "appointmentscheduled" */
  dealstage: z.string().min(1).default('appointmentscheduled'),
  /** When the deal is expected to close: an ISO date or date-time. */
  closedate: z.string().min(1).optional(),
  /** The contact to associate the deal with (HubSpot record id). */
  contactId: z
    .union([z.string().regex(/^\d+$/), z.number().int().positive()])
    .transform(String)
    .optional(),
  /** Any other deal properties, by internal name. */
  properties: z.record(z.string().min(1), propertyInput).default({}),
});

/** The output schema of `create-deal`. */
export const createDealOutput = crmRecord.extend({
  /** False when the idempotency property found the deal a previous attempt created. */
  created: z.boolean(),
  /** The associated contact, when one was given. */
  contactId: z.string().optional(),
});

/** What a step gives `create-deal`, before defaults. */
export type CreateDealInput = z.input<typeof createDealInput>;
/** What `create-deal` returns. */
export type CreateDealOutput = z.output<typeof createDealOutput>;

const RETURNED = ['dealname', 'amount', 'pipeline', 'dealstage', 'closedate'];

/**
 * `POST /crm/v3/objects/deals` with the deal-to-contact association.
 * HubSpot has no idempotency header; with `dealIdempotencyProperty` in the
 * config the step's idempotency key is stored on the deal and looked up
 * first, so retries return the deal already made (`created: false`).
 */
export const createDeal = defineAction({
  description: 'Creates a deal, associated with a contact; idempotent with dealIdempotencyProperty.',
  config,
  input: createDealInput,
  output: createDealOutput,
  examples: [
    {
      description: 'A won deal for a paid order',
      input: { dealname: 'Order #1042', amount: 58, dealstage: 'closedwon', contactId: '51' },
      output: {
        id: '18430921001',
        properties: {
          dealname: 'Order #1042',
          amount: '58',
          pipeline: 'default',
          dealstage: 'closedwon',
          closedate: null,
          hs_object_id: '18430921001',
        },
        createdAt: '2025-01-06T10:00:00.000Z',
        updatedAt: '2025-01-06T10:00:00.000Z',
        created: true,
        contactId: '51',
      },
    },
  ],
  async run({ input, config: cfg, http, idempotencyKey, log }) {
    const keyProperty = cfg.dealIdempotencyProperty;
    const returned = keyProperty ? [...RETURNED, keyProperty] : RETURNED;
    const found = async () =>
      keyProperty ? findDeal(http, keyProperty, idempotencyKey, returned) : undefined;
    const contact = input.contactId !== undefined ? { contactId: input.contactId } : {};

    const existing = await found();
    if (existing) {
      log.info('deal already created by an earlier attempt', { id: existing.id });
      return { ...existing, created: false, ...contact };
    }
    const properties = toProperties({
      dealname: input.dealname,
      amount: input.amount,
      pipeline: input.pipeline,
      dealstage: input.dealstage,
      closedate: input.closedate,
      ...input.properties,
      ...(keyProperty ? { [keyProperty]: idempotencyKey } : {}),
    });
    const associations =
      input.contactId === undefined
        ? []
        : [
            {
              to: { id: input.contactId },
              types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: DEAL_TO_CONTACT }],
            },
          ];
    try {
      const { data } = await http.post('/crm/v3/objects/deals', { properties, associations });
      return { ...toRecord(data), created: true, ...contact };
    } catch (error) {
      const mapped = hubspotError(error, `create the deal "${input.dealname}"`);
      // A unique idempotency property refuses a concurrent duplicate: return the winner.
      if (mapped instanceof NonRetryableError && mapped.code === 'HUBSPOT_CONFLICT') {
        const winner = await found();
        if (winner) return { ...winner, created: false, ...contact };
      }
      throw mapped;
    }
  },
});

async function findDeal(http: HttpClient, property: string, value: string, properties: readonly string[]) {
  try {
    const { data } = await http.post('/crm/v3/objects/deals/search', searchBy(property, value, properties));
    const first = (data as { results?: unknown[] }).results?.[0];
    return first === undefined ? undefined : toRecord(first);
  } catch (error) {
    throw hubspotError(error, 'look for a deal an earlier attempt created');
  }
}
