/** Ids of the seeded groups; stable across resets so demos can name them. */
export const SEEDED_GROUP_IDS = {
  engineering: '7f0c2a8e-5b1d-4c3e-9a10-0000000000e1',
  sales: '7f0c2a8e-5b1d-4c3e-9a10-0000000000a1',
  'all-staff': '7f0c2a8e-5b1d-4c3e-9a10-0000000000f1',
} as const;

/** A seeded account: the people of the BambooHR seed already provisioned, except the recent hire. */
export interface SeedUser {
  id: string;
  userName: string;
  givenName: string;
  familyName: string;
  title: string;
  department: string;
  employeeNumber: string;
  active: boolean;
  groups: Array<keyof typeof SEEDED_GROUP_IDS>;
}

/** Five accounts: four active staff and one who left (inactive, in no group). */
export const SEED_USERS: readonly SeedUser[] = [
  {
    id: '2c5d8a40-1f6e-4b7a-8c3d-000000000101',
    userName: 'maya.patel@acme.example',
    givenName: 'Maya',
    familyName: 'Patel',
    title: 'VP of Engineering',
    department: 'Engineering',
    employeeNumber: 'E-0001',
    active: true,
    groups: ['engineering', 'all-staff'],
  },
  {
    id: '2c5d8a40-1f6e-4b7a-8c3d-000000000102',
    userName: 'jonas.berg@acme.example',
    givenName: 'Jonas',
    familyName: 'Berg',
    title: 'Account Executive',
    department: 'Sales',
    employeeNumber: 'E-0002',
    active: true,
    groups: ['sales', 'all-staff'],
  },
  {
    id: '2c5d8a40-1f6e-4b7a-8c3d-000000000103',
    userName: 'lena.fischer@acme.example',
    givenName: 'Lena',
    familyName: 'Fischer',
    title: 'Software Engineer',
    department: 'Engineering',
    employeeNumber: 'E-0003',
    active: true,
    groups: ['engineering', 'all-staff'],
  },
  {
    id: '2c5d8a40-1f6e-4b7a-8c3d-000000000104',
    userName: 'carlos.mendes@acme.example',
    givenName: 'Carlos',
    familyName: 'Mendes',
    title: 'Head of Sales',
    department: 'Sales',
    employeeNumber: 'E-0004',
    active: true,
    groups: ['sales', 'all-staff'],
  },
  {
    id: '2c5d8a40-1f6e-4b7a-8c3d-000000000106',
    userName: 'tom.becker@acme.example',
    givenName: 'Tom',
    familyName: 'Becker',
    title: 'Sales Development Representative',
    department: 'Sales',
    employeeNumber: 'E-0006',
    active: false,
    groups: [],
  },
];
