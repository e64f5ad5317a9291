import { type BambooEmployee, seedEmployees } from './seed';

/** Fields computed from others; readable, never writable. */
const COMPUTED = ['displayName', 'supervisor', 'supervisorEmail'] as const;

/** Fields `POST /employees/{id}` may change. */
const WRITABLE = [
  'employeeNumber',
  'firstName',
  'lastName',
  'preferredName',
  'jobTitle',
  'department',
  'division',
  'location',
  'workEmail',
  'mobilePhone',
  'workPhone',
  'hireDate',
  'terminationDate',
  'status',
  'supervisorEId',
] as const satisfies ReadonlyArray<keyof BambooEmployee>;

const READABLE = new Set<string>(['id', 'lastChanged', ...WRITABLE, ...COMPUTED]);
const WRITABLE_SET = new Set<string>(WRITABLE);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NULLABLE = new Set(['preferredName', 'mobilePhone', 'workPhone', 'terminationDate', 'supervisorEId']);

/** What an update refused, with BambooHR's status for it. */
export interface UpdateRefusal {
  status: 400 | 404;
  message: string;
}

/** The company's employees, as BambooHR keeps them. */
export class BambooDirectory {
  private employees = new Map<string, BambooEmployee>();

  constructor() {
    this.reset();
  }

  reset(): void {
    this.employees = new Map(seedEmployees().map((e) => [e.id, e]));
  }

  get(id: string): BambooEmployee | undefined {
    return this.employees.get(id);
  }

  all(): BambooEmployee[] {
    return [...this.employees.values()];
  }

  /** Field names the API does not know, in the order asked. */
  unknownFields(fields: readonly string[]): string[] {
    return fields.filter((f) => !READABLE.has(f));
  }

  /** One field's value as the API returns it: strings, or null when empty. */
  read(employee: BambooEmployee, field: string): string | null {
    const supervisor = employee.supervisorEId ? this.employees.get(employee.supervisorEId) : undefined;
    switch (field) {
      case 'displayName':
        return `${employee.preferredName ?? employee.firstName} ${employee.lastName}`;
      case 'supervisor':
        return supervisor ? `${supervisor.lastName}, ${supervisor.firstName}` : null;
      case 'supervisorEmail':
        return supervisor?.workEmail ?? null;
      default:
        return (employee[field as keyof BambooEmployee] as string | null | undefined) ?? null;
    }
  }

  /**
   * Applies `fields` to the employee, all or nothing. BambooHR takes every
   * value as a string; an empty string clears a field that may be empty.
   */
  update(id: string, fields: Record<string, unknown>): BambooEmployee | UpdateRefusal {
    const employee = this.employees.get(id);
    if (!employee) return { status: 404, message: `Employee ${id} not found` };
    const names = Object.keys(fields);
    if (names.length === 0) return { status: 400, message: 'No fields to update' };
    const next: BambooEmployee = { ...employee };
    for (const name of names) {
      const refusal = this.check(name, fields[name], id);
      if (refusal) return { status: 400, message: refusal };
      const raw = fields[name];
      const value = raw === null || raw === '' ? null : String(raw);
      (next as unknown as Record<string, string | null>)[name] = value;
    }
    next.lastChanged = new Date().toISOString();
    this.employees.set(id, next);
    return next;
  }

  private check(name: string, raw: unknown, id: string): string | undefined {
    if (!WRITABLE_SET.has(name)) {
      return READABLE.has(name) ? `Field '${name}' is read-only` : `Unknown field '${name}'`;
    }
    if (raw !== null && !['string', 'number', 'boolean'].includes(typeof raw)) {
      return `Field '${name}' must be a string`;
    }
    const value = raw === null || raw === '' ? null : String(raw);
    if (value === null) return NULLABLE.has(name) ? undefined : `Field '${name}' cannot be empty`;
    if ((name === 'hireDate' || name === 'terminationDate') && !DATE.test(value)) {
      return `Field '${name}' must be a date as YYYY-MM-DD, got '${value}'`;
    }
    if (name === 'status' && value !== 'Active' && value !== 'Inactive') {
      return `Field 'status' must be 'Active' or 'Inactive', got '${value}'`;
    }
    if (name === 'supervisorEId' && (value === id || !this.employees.has(value))) {
      return `Field 'supervisorEId' must be the id of another employee, got '${value}'`;
    }
    return undefined;
  }
}
