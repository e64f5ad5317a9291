import { HubspotError, unknownProperties } from './errors';

/** What the sandbox knows of one CRM object type. */
export interface ObjectType {
  name: 'contacts' | 'deals';
  /** Properties a client may set. */
  properties: ReadonlySet<string>;
  /** Returned when a read names no properties. */
  defaults: readonly string[];
  /** Properties whose values must be unique (409 on a duplicate). */
  unique: readonly string[];
  /** Checks values; throws a VALIDATION_ERROR naming the property. */
  validate(values: Record<string, string | null>): void;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Stages of the default sales pipeline, by internal id. */
export const DEAL_STAGES = [
  'appointmentscheduled',
  'qualifiedtobuy',
  'presentationscheduled',
  'decisionmakerboughtin',
  'contractsent',
  'closedwon',
  'closedlost',
] as const;

const contacts: ObjectType = {
  name: 'contacts',
  properties: new Set([
    'email',
    'firstname',
    'lastname',
    'phone',
    'mobilephone',
    'company',
    'website',
    'jobtitle',
    'city',
    'country',
    'lifecyclestage',
    'hs_lead_status',
  ]),
  defaults: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  unique: ['email'],
  validate(values) {
    const email = values.email;
    if (email !== undefined && email !== null && !EMAIL.test(email)) {
      throw invalid('email', `Email address ${email} is invalid`, 'INVALID_EMAIL');
    }
  },
};

const deals: ObjectType = {
  name: 'deals',
  properties: new Set([
    'dealname',
    'amount',
    'dealstage',
    'pipeline',
    'closedate',
    'description',
    'deal_currency_code',
    'hubspot_owner_id',
    // A custom single-line text property with "unique values" on, as the
    // HubSpot connector's README suggests for making deal creation idempotent.
    'baton_idempotency_key',
  ]),
  defaults: [
    'amount',
    'closedate',
    'createdate',
    'dealname',
    'dealstage',
    'hs_lastmodifieddate',
    'hs_object_id',
    'pipeline',
  ],
  unique: ['baton_idempotency_key'],
  validate(values) {
    const { amount, dealstage, pipeline, closedate } = values;
    if (amount !== undefined && amount !== null && !Number.isFinite(Number(amount))) {
      throw invalid('amount', `${amount} was not a valid number.`, 'INVALID_DECIMAL');
    }
    if (pipeline !== undefined && pipeline !== null && pipeline !== 'default') {
      throw invalid(
        'pipeline',
        `${pipeline} is not a valid pipeline id; the sandbox has "default"`,
        'INVALID_OPTION',
      );
    }
    if (
      dealstage !== undefined &&
      dealstage !== null &&
      !(DEAL_STAGES as readonly string[]).includes(dealstage)
    ) {
      throw invalid(
        'dealstage',
        `${dealstage} was not one of the allowed options: ${DEAL_STAGES.join(', ')}`,
        'INVALID_OPTION',
      );
    }
    if (closedate !== undefined && closedate !== null && Number.isNaN(Date.parse(closedate))) {
      throw invalid('closedate', `${closedate} is not a valid date`, 'INVALID_DATE');
    }
  },
};

/** The object types the sandbox emulates, by path segment. */
export const OBJECT_TYPES: Record<string, ObjectType> = { contacts, deals };

/** Looks an object type up by its path segment, as HubSpot infers it. */
export function objectType(name: string): ObjectType {
  const type = OBJECT_TYPES[name];
  if (!type) throw new HubspotError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${name}`);
  return type;
}

/** Turns request property values into stored strings; an empty string or null clears. */
export function normalizeProperties(type: ObjectType, raw: unknown): Record<string, string | null> {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new HubspotError(
      400,
      'VALIDATION_ERROR',
      'properties must be an object of property names to values',
    );
  }
  const unknown = Object.keys(raw).filter((k) => !type.properties.has(k));
  if (unknown.length > 0) throw unknownProperties(unknown);
  const values: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
      throw invalid(name, `${name} must be a string, number or boolean`, 'INVALID_TYPE');
    }
    values[name] = value === null || value === '' ? null : String(value);
  }
  if (values.email) values.email = values.email.toLowerCase();
  type.validate(values);
  return values;
}

function invalid(property: string, message: string, code: string): HubspotError {
  return new HubspotError(400, 'VALIDATION_ERROR', `Property values were not valid: ${message}`, [
    { message, code, context: { propertyName: [property] } },
  ]);
}
