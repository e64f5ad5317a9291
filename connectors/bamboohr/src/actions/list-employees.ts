import { defineAction, NonRetryableError } from '@baton/sdk';
import { z } from 'zod';
import { config } from '../config';
import { bambooError } from '../errors';
import { fieldName, fieldValue } from '../schemas';

/** The input schema of `list-employees`. */
export const listEmployeesInput = z.object({
  /**
   * Fields beyond the defaults (`employeeId`, `firstName`, `lastName`,
   * `preferredName`, `photoUrl`, `jobTitleName`, `status`), such as
   * `workEmail`, `departmentName`, `hireDate`.
   */
  fields: z.array(fieldName).default([]),
  /**
   * `filter[<name>]` parameters: names and addresses match a substring; ids,
   * enums and dates match exactly; `ids` takes a comma-separated list.
   */
  filter: z.record(fieldName, z.union([z.string(), z.number(), z.boolean()])).default({}),
  /** Comma-separated sort fields, `-` first for descending, such as `-lastName,firstName`. */
  sort: z.string().min(1).optional(),
  /** Employees per request (`page[limit]`). @default 250 */
  pageSize: z.number().int().min(1).max(2500).default(250),
  /** Stop once this many employees are read. @default 1000 */
  limit: z.number().int().min(1).max(50_000).default(1000),
  /** Continue after a previous call's `nextCursor`. */
  cursor: z.string().min(1).optional(),
});

const employee = z.object({ employeeId: z.string() }).catchall(z.union([fieldValue, z.array(z.string())]));

/** The output schema of `list-employees`. */
export const listEmployeesOutput = z.object({
  employees: z.array(employee),
  /** How many employees match the filter, in all pages. */
  total: z.number().int(),
  /** Set when `limit` stopped the listing before the end: pass it as `cursor` to go on. */
  nextCursor: z.string().nullable(),
});

/** What a step gives `list-employees`, before defaults. */
export type ListEmployeesInput = z.input<typeof listEmployeesInput>;
/** What `list-employees` returns. */
export type ListEmployeesOutput = z.output<typeof listEmployeesOutput>;

/** The page shape of BambooHR's list endpoint, as far as the connector relies on it. */
const page = z.object({
  data: z.array(z.looseObject({ employeeId: z.union([z.string(), z.number()]).transform(String) })),
  meta: z.object({
    total: z.number().int(),
    page: z.object({ nextCursor: z.string().nullable().optional() }).optional(),
  }),
});

/**
 * `GET /employees`, following BambooHR's cursor pages until `limit`
 * employees are read or the list ends. One step gets the whole (bounded)
 * list, which is what a `forEach` over employees needs; `nextCursor` says
 * where a later step can go on when `limit` cut it short.
 */
export const listEmployees = defineAction({
  description: 'Lists employees, filtered and sorted, following pages up to a limit.',
  config,
  input: listEmployeesInput,
  output: listEmployeesOutput,
  examples: [
    {
      description: 'Active engineers with their work email',
      input: { filter: { status: 'Active', departmentName: 'Engineering' }, fields: ['workEmail'] },
      output: {
        employees: [
          {
            employeeId: '101',
            firstName: 'Maya',
            lastName: 'Patel',
            preferredName: null,
            photoUrl: 'https://images.bamboohr.example/photos/101.jpg',
            jobTitleName: 'VP of Engineering',
            status: 'Active',
            workEmail: 'maya.patel@acme.example',
          },
        ],
        total: 1,
        nextCursor: null,
      },
    },
  ],
  async run({ input, http }) {
    const employees: Array<z.output<typeof employee>> = [];
    let cursor = input.cursor;
    let total = 0;
    do {
      const params: Record<string, string | number> = {
        'page[limit]': Math.min(input.pageSize, input.limit - employees.length),
        ...(cursor ? { 'page[after]': cursor } : {}),
        ...(input.fields.length > 0 ? { fields: input.fields.join(',') } : {}),
        ...(input.sort ? { sort: input.sort } : {}),
      };
      for (const [name, value] of Object.entries(input.filter)) params[`filter[${name}]`] = String(value);
      let data: unknown;
      try {
        ({ data } = await http.get('/employees', { params }));
      } catch (error) {
        throw bambooError(error, 'list employees');
      }
      const parsed = page.safeParse(data);
      if (!parsed.success) {
        throw new NonRetryableError('BambooHR answered the employee list with an unexpected body', {
          code: 'BAMBOOHR_UNEXPECTED_RESPONSE',
          details: {
            issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`),
          },
        });
      }
      employees.push(...(parsed.data.data as Array<z.output<typeof employee>>));
      total = parsed.data.meta.total;
      cursor = parsed.data.meta.page?.nextCursor ?? undefined;
    } while (cursor && employees.length < input.limit);
    return { employees, total, nextCursor: cursor ?? null };
  },
});
