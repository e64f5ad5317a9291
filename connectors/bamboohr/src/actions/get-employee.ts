import { defineAction } from '@baton/sdk';
import { z } from 'zod';
import { config } from '../config';
import { bambooError } from '../errors';
import { employeeId, fieldName, fieldValue } from '../schemas';

/** Fields read when the step names none. */
export const DEFAULT_EMPLOYEE_FIELDS = [
  'firstName',
  'lastName',
  'displayName',
  'workEmail',
  'jobTitle',
  'department',
  'location',
  'hireDate',
  'status',
  'supervisorEmail',
];

/** The input schema of `get-employee`. */
export const getEmployeeInput = z.object({
  /** The BambooHR employee id (0 means the employee the API key belongs to). */
  employeeId,
  /** Which fields to read, by BambooHR field name. */
  fields: z.array(fieldName).min(1).max(400).default(DEFAULT_EMPLOYEE_FIELDS),
});

/** The employee's `id` and each field asked for, under its BambooHR name. */
export const getEmployeeOutput = z.object({ id: z.string() }).catchall(fieldValue);

/** What a step gives `get-employee`, before defaults. */
export type GetEmployeeInput = z.input<typeof getEmployeeInput>;
/** What `get-employee` returns. */
export type GetEmployeeOutput = z.output<typeof getEmployeeOutput>;

/** `GET /employees/{id}?fields=…`: one employee's fields. */
export const getEmployee = defineAction({
  description:
    'Reads an employee by id: the fields asked for (names, work email, job, department, hire date…).',
  config,
  input: getEmployeeInput,
  output: getEmployeeOutput,
  examples: [
    {
      description: 'The new hire of an employee.hired event',
      input: { employeeId: '105', fields: ['firstName', 'lastName', 'workEmail', 'department'] },
      output: {
        id: '105',
        firstName: 'Priya',
        lastName: 'Raman',
        workEmail: 'priya.raman@acme.example',
        department: 'Engineering',
      },
    },
  ],
  async run({ input, http }) {
    try {
      const { data } = await http.get(`/employees/${input.employeeId}`, {
        params: { fields: input.fields.join(',') },
      });
      return {
        ...(data as Record<string, unknown>),
        id: String((data as { id?: unknown }).id ?? input.employeeId),
      };
    } catch (error) {
      throw bambooError(error, `read employee ${input.employeeId}`);
    }
  },
});
