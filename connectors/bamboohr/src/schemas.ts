import { z } from 'zod';

/** An employee id: BambooHR's numeric id, as a string or a number (webhook payloads carry either). */
export const employeeId = z
  .union([
    z.string().regex(/^\d+$/, { error: 'must be a numeric BambooHR employee id' }),
    z.number().int().min(0),
  ])
  .transform(String);

/** A BambooHR field name, such as `workEmail` or a custom field like `customShirtSize`. */
export const fieldName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.]*$/, { error: 'must be a BambooHR field name' });

/** A field value as BambooHR returns it: mostly strings, null when empty. */
export const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
