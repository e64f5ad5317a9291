import { randomBytes } from 'node:crypto';
import { RECENT_HIRE_ID, seedEmployees } from '../systems/bamboohr/seed';
import { SEED_STOCK } from '../systems/inventory/store';
import { SEED_USERS } from '../systems/scim/seed';
import { trafficSurge } from './alertmanager';

type Data = Record<string, unknown>;

/**
 * The data of a realistic event of this type, with `overrides` laid over
 * it. `employee.hired` is the BambooHR seed's recent hire; `order.created`
 * orders seeded SKUs (the total follows `sku`/`qty` when they are
 * overridden); `payment.failed` is a declined Stripe PaymentIntent;
 * `user.password_reset_requested` is a SCIM seed user asking for a new
 * password; `traffic.surge` is a Prometheus Alertmanager notification
 * (see `alertmanager.ts` for its knobs).
 */
export function eventData(type: string, overrides: Data = {}): Data {
  switch (type) {
    case 'employee.hired':
      return { ...employeeHired(), ...overrides };
    case 'order.created':
      return { ...orderCreated(overrides), ...overrides };
    case 'payment.failed':
      return { ...paymentFailed(overrides), ...overrides };
    case 'user.password_reset_requested':
      return { ...passwordResetRequested(), ...overrides };
    case 'traffic.surge':
      return trafficSurge(overrides);
    default:
      return overrides;
  }
}

function employeeHired(): Data {
  const employees = seedEmployees();
  const hire = employees.find((e) => e.id === RECENT_HIRE_ID)!;
  const supervisor = employees.find((e) => e.id === hire.supervisorEId);
  return {
    employeeId: hire.id,
    employeeNumber: hire.employeeNumber,
    firstName: hire.firstName,
    lastName: hire.lastName,
    preferredName: hire.preferredName,
    displayName: `${hire.preferredName ?? hire.firstName} ${hire.lastName}`,
    workEmail: hire.workEmail,
    jobTitle: hire.jobTitle,
    department: hire.department,
    division: hire.division,
    location: hire.location,
    hireDate: hire.hireDate,
    supervisorId: supervisor?.id ?? null,
    supervisorEmail: supervisor?.workEmail ?? null,
  };
}

function orderCreated(overrides: Data): Data {
  const sku = typeof overrides.sku === 'string' ? overrides.sku : 'TSHIRT-BLK-M';
  const qty = typeof overrides.qty === 'number' ? overrides.qty : 2;
  const stock = SEED_STOCK.find((s) => s.sku === sku);
  const unitPrice =
    typeof overrides.unitPrice === 'number' ? overrides.unitPrice : (stock?.priceCents ?? 1000);
  const number = 1000 + Math.floor(Math.random() * 9000);
  return {
    orderId: `ord_${randomBytes(6).toString('hex')}`,
    orderNumber: `#${number}`,
    sku,
    qty,
    unitPrice,
    // Amounts are integer cents, as Stripe takes them.
    total: unitPrice * qty,
    currency: 'usd',
    items: [{ sku, qty, unitPrice, title: stock?.title ?? sku }],
    customer: { email: 'jane.doe@example.com', firstName: 'Jane', lastName: 'Doe', phone: '+1 415 555 0134' },
    shippingAddress: {
      name: 'Jane Doe',
      street1: '417 Montgomery St',
      street2: 'Floor 5',
      city: 'San Francisco',
      state: 'CA',
      zip: '94104',
      country: 'US',
    },
    createdAt: new Date().toISOString(),
  };
}

function paymentFailed(overrides: Data): Data {
  const amount = typeof overrides.amount === 'number' ? overrides.amount : 5800;
  return {
    id: `pi_${randomBytes(12).toString('hex')}`,
    object: 'payment_intent',
    amount,
    currency: 'usd',
    status: 'requires_payment_method',
    receipt_email: 'jane.doe@example.com',
    last_payment_error: {
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    },
    metadata: { orderId: `ord_${randomBytes(6).toString('hex')}` },
    created: Math.floor(Date.now() / 1000),
  };
}

function passwordResetRequested(): Data {
  // Lena Fischer, an active engineer in the SCIM seed.
  const user = SEED_USERS.find((u) => u.employeeNumber === 'E-0003')!;
  return {
    userId: user.id,
    email: user.userName,
    requestedAt: new Date().toISOString(),
    // TEST-NET-3 (RFC 5737): an address that cannot belong to anyone.
    ip: '203.0.113.42',
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  };
}
