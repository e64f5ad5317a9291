import { defineConnector } from '@baton/sdk';
import { getEmployee } from './actions/get-employee';
import { listEmployees } from './actions/list-employees';
import { updateEmployee } from './actions/update-employee';
import { checkCredentials } from './check';
import { apiBase, config } from './config';

/**
 * `@baton/connector-bamboohr`: read and update employees in BambooHR.
 *
 * @example
 * ```json
 * { "id": "employee", "action": "hr.get-employee", "input": { "employeeId": "{{ event.data.employeeId }}" } }
 * ```
 *
 * @module
 */
export default defineConnector({
  name: 'bamboohr',
  version: '0.1.0',
  description: 'BambooHR: read, list and update employees.',
  config,
  http: (cfg) => ({
    baseURL: apiBase(cfg),
    // BambooHR answers XML unless asked for JSON.
    headers: { accept: 'application/json' },
    auth: { username: cfg.apiKey, password: 'x' },
  }),
  // No default `limits`: BambooHR publishes no figure. It throttles "requests
  // it deems too frequent" with a 429 (a 503 before 16 September 2026) and a
  // `Retry-After`, which pauses the instance
  // (https://documentation.bamboohr.com/docs/planned-changes-to-the-api).
  check: checkCredentials,
  actions: {
    'get-employee': getEmployee,
    'list-employees': listEmployees,
    'update-employee': updateEmployee,
  },
});

export type { GetEmployeeInput, GetEmployeeOutput } from './actions/get-employee';
export type { ListEmployeesInput, ListEmployeesOutput } from './actions/list-employees';
export type { UpdateEmployeeInput, UpdateEmployeeOutput } from './actions/update-employee';
export { type BambooHrConfig, config } from './config';
