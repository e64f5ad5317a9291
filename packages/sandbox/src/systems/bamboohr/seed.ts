/** One employee record, under BambooHR's own field names. */
export interface BambooEmployee {
  id: string;
  employeeNumber: string;
  firstName: string;
  lastName: string;
  preferredName: string | null;
  jobTitle: string;
  department: string;
  division: string;
  location: string;
  workEmail: string;
  mobilePhone: string | null;
  workPhone: string | null;
  /** `YYYY-MM-DD` */
  hireDate: string;
  /** `YYYY-MM-DD`, or null while employed. */
  terminationDate: string | null;
  status: 'Active' | 'Inactive';
  /** The supervisor's employee id. */
  supervisorEId: string | null;
  /** When the record last changed, ISO 8601. */
  lastChanged: string;
}

/** The id of the seeded employee hired a few days before the sandbox started. */
export const RECENT_HIRE_ID = '105';

const DAY_MS = 86_400_000;

/**
 * The seeded company, Acme: six employees in Engineering and Sales, one of
 * them hired two days before `now` (so "new hire" flows have someone to
 * onboard) and one who has left.
 */
export function seedEmployees(now = new Date()): BambooEmployee[] {
  const recentHire = new Date(now.getTime() - 2 * DAY_MS).toISOString().slice(0, 10);
  const at = now.toISOString();
  const base = { preferredName: null, workPhone: null, terminationDate: null, lastChanged: at } as const;
  return [
    {
      ...base,
      id: '101',
      employeeNumber: 'E-0001',
      firstName: 'Maya',
      lastName: 'Patel',
      jobTitle: 'VP of Engineering',
      department: 'Engineering',
      division: 'Product & Engineering',
      location: 'Remote - US',
      workEmail: 'maya.patel@acme.example',
      mobilePhone: '+1 415 555 0101',
      hireDate: '2019-02-11',
      status: 'Active',
      supervisorEId: null,
    },
    {
      ...base,
      id: '102',
      employeeNumber: 'E-0002',
      firstName: 'Jonas',
      lastName: 'Berg',
      jobTitle: 'Account Executive',
      department: 'Sales',
      division: 'Go To Market',
      location: 'Stockholm',
      workEmail: 'jonas.berg@acme.example',
      mobilePhone: '+46 70 555 0102',
      hireDate: '2021-09-06',
      status: 'Active',
      supervisorEId: '104',
    },
    {
      ...base,
      id: '103',
      employeeNumber: 'E-0003',
      firstName: 'Lena',
      lastName: 'Fischer',
      jobTitle: 'Software Engineer',
      department: 'Engineering',
      division: 'Product & Engineering',
      location: 'Berlin',
      workEmail: 'lena.fischer@acme.example',
      mobilePhone: null,
      hireDate: '2022-04-19',
      status: 'Active',
      supervisorEId: '101',
    },
    {
      ...base,
      id: '104',
      employeeNumber: 'E-0004',
      firstName: 'Carlos',
      lastName: 'Mendes',
      jobTitle: 'Head of Sales',
      department: 'Sales',
      division: 'Go To Market',
      location: 'Lisbon',
      workEmail: 'carlos.mendes@acme.example',
      mobilePhone: '+351 91 555 0104',
      hireDate: '2020-01-06',
      status: 'Active',
      supervisorEId: null,
    },
    {
      ...base,
      id: RECENT_HIRE_ID,
      employeeNumber: 'E-0005',
      firstName: 'Priya',
      lastName: 'Raman',
      preferredName: 'Pri',
      jobTitle: 'Site Reliability Engineer',
      department: 'Engineering',
      division: 'Product & Engineering',
      location: 'Remote - EU',
      workEmail: 'priya.raman@acme.example',
      mobilePhone: '+44 7700 900105',
      hireDate: recentHire,
      status: 'Active',
      supervisorEId: '101',
    },
    {
      ...base,
      id: '106',
      employeeNumber: 'E-0006',
      firstName: 'Tom',
      lastName: 'Becker',
      jobTitle: 'Sales Development Representative',
      department: 'Sales',
      division: 'Go To Market',
      location: 'Berlin',
      workEmail: 'tom.becker@acme.example',
      mobilePhone: null,
      hireDate: '2022-10-03',
      terminationDate: '2024-03-29',
      status: 'Inactive',
      supervisorEId: '104',
    },
  ];
}
