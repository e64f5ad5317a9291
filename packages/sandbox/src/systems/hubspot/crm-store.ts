import { HubspotError } from './errors';
import { normalizeProperties, type ObjectType, objectType } from './object-types';
import { matches, type SearchBody } from './search';

type Properties = Record<string, string | null>;

/** One CRM record as HubSpot stores it: every property value is a string. */
export interface CrmRecord {
  id: string;
  type: ObjectType['name'];
  properties: Properties;
  createdAt: string;
  updatedAt: string;
}

/** The contact and deal records of one portal, and the deal-to-contact associations. */
export class CrmStore {
  private records = new Map<string, CrmRecord>();
  /** deal id → contact ids */
  private dealContacts = new Map<string, Set<string>>();
  private nextId = { contacts: 51, deals: 18_430_921_001 };

  constructor() {
    this.reset();
  }

  reset(): void {
    this.records.clear();
    this.dealContacts.clear();
    this.nextId = { contacts: 51, deals: 18_430_921_001 };
    const contacts = objectType('contacts');
    this.create(contacts, {
      email: 'jane.doe@example.com',
      firstname: 'Jane',
      lastname: 'Doe',
      company: 'Globex',
      lifecyclestage: 'customer',
    });
    this.create(contacts, {
      email: 'sam.lee@example.com',
      firstname: 'Sam',
      lastname: 'Lee',
      lifecyclestage: 'lead',
    });
  }

  get(type: ObjectType, id: string, idProperty?: string): CrmRecord {
    const record =
      idProperty && idProperty !== 'hs_object_id' ? this.findBy(type, idProperty, id) : this.records.get(id);
    if (!record || record.type !== type.name) {
      throw new HubspotError(404, 'OBJECT_NOT_FOUND', `resource not found`);
    }
    return record;
  }

  /** The record whose unique property has this value, if any. */
  findBy(type: ObjectType, property: string, value: string): CrmRecord | undefined {
    if (property !== 'hs_object_id' && !type.unique.includes(property)) {
      throw new HubspotError(400, 'VALIDATION_ERROR', `${property} is not a unique property of ${type.name}`);
    }
    const wanted = value.toLowerCase();
    return [...this.records.values()].find(
      (r) => r.type === type.name && r.properties[property]?.toLowerCase() === wanted,
    );
  }

  create(type: ObjectType, rawProperties: unknown, contactIds: string[] = []): CrmRecord {
    const values = normalizeProperties(type, rawProperties);
    if (type.name === 'contacts' && !values.email) {
      // HubSpot allows contacts without email; the sandbox keys everything by it, so says so.
      throw new HubspotError(400, 'VALIDATION_ERROR', 'The sandbox needs an email for every contact');
    }
    this.checkUnique(type, values, undefined);
    for (const contactId of contactIds) this.get(objectType('contacts'), contactId);
    const id = String(this.nextId[type.name]++);
    const at = new Date().toISOString();
    const defaults: Properties = type.name === 'deals' ? { pipeline: 'default' } : {};
    const record: CrmRecord = {
      id,
      type: type.name,
      properties: { ...defaults, ...values, hs_object_id: id, createdate: at, ...modified(type, at) },
      createdAt: at,
      updatedAt: at,
    };
    this.records.set(id, record);
    if (contactIds.length > 0) this.dealContacts.set(id, new Set(contactIds));
    return record;
  }

  update(record: CrmRecord, rawProperties: unknown): CrmRecord {
    const type = objectType(record.type);
    const values = normalizeProperties(type, rawProperties);
    this.checkUnique(type, values, record.id);
    const at = new Date().toISOString();
    Object.assign(record.properties, values, modified(type, at));
    record.updatedAt = at;
    return record;
  }

  /** Contacts associated with a deal. */
  contactsOf(dealId: string): string[] {
    return [...(this.dealContacts.get(dealId) ?? [])];
  }

  /** Matching records sorted by id, paged with HubSpot's numeric `after` cursor. */
  search(type: ObjectType, search: SearchBody): { total: number; results: CrmRecord[]; after?: string } {
    const all = [...this.records.values()].filter(
      (r) => r.type === type.name && matches(search, r.properties),
    );
    const text = search.query?.toLowerCase();
    const found = text
      ? all.filter((r) => Object.values(r.properties).some((v) => v?.toLowerCase().includes(text)))
      : all;
    const offset = search.after === undefined ? 0 : Number(search.after);
    if (!Number.isInteger(offset) || offset < 0) {
      throw new HubspotError(
        400,
        'VALIDATION_ERROR',
        `after must be a non-negative integer, got ${search.after}`,
      );
    }
    const results = found.slice(offset, offset + search.limit);
    const next = offset + results.length;
    return { total: found.length, results, ...(next < found.length ? { after: String(next) } : {}) };
  }

  private checkUnique(type: ObjectType, values: Properties, selfId: string | undefined): void {
    for (const property of type.unique) {
      const value = values[property];
      if (!value) continue;
      const existing = this.findBy(type, property, value);
      if (existing && existing.id !== selfId) {
        const what = type.name === 'contacts' ? 'Contact' : 'A deal with this';
        throw new HubspotError(
          409,
          'CONFLICT',
          type.name === 'contacts'
            ? `${what} already exists. Existing ID: ${existing.id}`
            : `${what} ${property} already exists. Existing ID: ${existing.id}`,
        );
      }
    }
  }
}

function modified(type: ObjectType, at: string): Properties {
  return type.name === 'deals' ? { hs_lastmodifieddate: at } : { lastmodifieddate: at };
}

/** A record as the API returns it, with the properties asked for (or the type's defaults). */
export function renderRecord(record: CrmRecord, wanted?: readonly string[]) {
  const names = wanted && wanted.length > 0 ? wanted : objectType(record.type).defaults;
  return {
    id: record.id,
    properties: Object.fromEntries(
      [...new Set([...names, 'hs_object_id'])].map((n) => [n, record.properties[n] ?? null]),
    ),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    archived: false,
  };
}
