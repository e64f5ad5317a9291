import { defineAction } from '@baton/sdk';
import { z } from 'zod';
import { config } from '../config';
import { bambooError } from '../errors';
import { employeeId, fieldName } from '../schemas';

/** The input schema of `update-employee`. */
export const updateEmployeeInput = z.object({
  employeeId,
  /**
   * New values by BambooHR field name. BambooHR stores text, so numbers are
   * sent as strings; `null` or `""` clears a field.
   */
  fields: z
    .record(fieldName, z.union([z.string(), z.number(), z.null()]))
    .refine((fields) => Object.keys(fields).length > 0, { error: 'name at least one field to update' }),
});

/** The output schema of `update-employee`. */
export const updateEmployeeOutput = z.object({
  id: z.string(),
  /** The fields sent, in the order given. */
  updated: z.array(z.string()),
});

/** What a step gives `update-employee`, before defaults. */
export type UpdateEmployeeInput = z.input<typeof updateEmployeeInput>;
/** What `update-employee` returns. */
export type UpdateEmployeeOutput = z.output<typeof updateEmployeeOutput>;

/**
 * `POST /employees/{id}` with the new values. Setting fields to values is
 * idempotent, so a retried step changes nothing more.
 */
export const updateEmployee = defineAction({
  description: 'Updates fields of an employee (job title, work email, location, status…).',
  config,
  input: updateEmployeeInput,
  output: updateEmployeeOutput,
  examples: [
    {
      description: 'Record the work email the directory created',
      input: { employeeId: '105', fields: { workEmail: 'priya.raman@acme.example' } },
      output: { id: '105', updated: ['workEmail'] },
    },
  ],
  async run({ input, http }) {
    const body = Object.fromEntries(
      Object.entries(input.fields).map(([name, value]) => [name, value === null ? '' : String(value)]),
    );
    try {
      await http.post(`/employees/${input.employeeId}`, body);
    } catch (error) {
      throw bambooError(error, `update employee ${input.employeeId}`);
    }
    return { id: input.employeeId, updated: Object.keys(body) };
  },
});
