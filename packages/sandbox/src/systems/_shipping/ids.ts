import { randomBytes, randomInt } from 'node:crypto';

/** 32 hex characters, the id body EasyPost and Shippo use. */
export function hexId(): string {
  return randomBytes(16).toString('hex');
}

function digits(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(randomInt(10));
  return out;
}

/** A tracking number in the format the carrier prints: USPS 22 digits, UPS `1Z…`, FedEx 12 digits. */
export function trackingNumberFor(carrier: string): string {
  switch (carrier.toUpperCase()) {
    case 'UPS':
      return `1Z${randomBytes(8).toString('hex').toUpperCase()}`;
    case 'FEDEX':
      return digits(12);
    default:
      return `9400${digits(18)}`;
  }
}
