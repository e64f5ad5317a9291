import { z } from 'zod';

/** A property value as a step gives it: HubSpot stores every value as text. */
export const propertyInput = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** A CRM record as HubSpot returns it: every property value is a string or null. */
export const crmRecord = z.object({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A contact or deal, as the connector returns it. */
export type CrmRecord = z.output<typeof crmRecord>;

/** Reads a record from HubSpot's answer, keeping the fields above. */
export function toRecord(value: unknown): CrmRecord {
  return crmRecord.parse(value);
}

/** Property values as HubSpot takes them: strings, with `null` clearing the property. */
export function toProperties(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [name, value === null ? '' : String(value)]),
  );
}

/** The body of a search for records whose `property` equals `value`. */
export function searchBy(property: string, value: string, properties: readonly string[], limit = 1) {
  return {
    filterGroups: [{ filters: [{ propertyName: property, operator: 'EQ', value }] }],
    properties,
    limit,
  };
}
