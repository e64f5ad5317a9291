/**
 * Deterministic postage for the carrier sandboxes (EasyPost, Shippo): a
 * price per service from the parcel's weight and how far it travels, and
 * the weight limits real carriers enforce (USPS 70 lb, UPS and FedEx
 * 150 lb), so an oversized parcel gets no rate from a carrier and a flow
 * has a reason to try another one.
 */

/** One service a carrier sells, with its made-up but stable tariff. */
export interface ServiceLevel {
  /** The carrier as vendors spell it: `USPS`, `UPS`, `FedEx`. */
  carrier: string;
  /** The vendor's service identifier (EasyPost `service`, Shippo servicelevel `token`). */
  service: string;
  /** The name people read. */
  name: string;
  /** Business days in transit. */
  days: number;
  /** Price of the first pound, in dollars. */
  base: number;
  /** Price of each further pound, in dollars. */
  perLb: number;
  /** The heaviest parcel the carrier takes, in ounces. */
  maxWeightOz: number;
}

/** Where a parcel goes from and to. */
export interface Lane {
  fromZip: string;
  fromCountry: string;
  toZip: string;
  toCountry: string;
}

/** USPS-style zones 1–8 from the first ZIP digits; 9 for anything crossing a border. */
export function zoneOf(lane: Lane): number {
  if (lane.fromCountry.toUpperCase() !== 'US' || lane.toCountry.toUpperCase() !== 'US') return 9;
  const from = Number(lane.fromZip.slice(0, 1));
  const to = Number(lane.toZip.slice(0, 1));
  if (Number.isNaN(from) || Number.isNaN(to)) return 8;
  return Math.min(8, 1 + Math.abs(from - to));
}

/** The heaviest of several parcels decides whether a carrier takes the shipment. */
export function fits(level: ServiceLevel, weightsOz: readonly number[]): boolean {
  return weightsOz.every((weight) => weight <= level.maxWeightOz);
}

/** The price of a shipment (every parcel) with this service, in dollars with two decimals. */
export function priceOf(level: ServiceLevel, weightsOz: readonly number[], zone: number): string {
  let total = 0;
  for (const weight of weightsOz) {
    const pounds = Math.max(1, Math.ceil(weight / 16));
    total += (level.base + level.perLb * (pounds - 1)) * (1 + 0.08 * (zone - 1));
  }
  return total.toFixed(2);
}

/** Why a carrier cannot rate a parcel, in the words carriers use. */
export function tooHeavyMessage(level: ServiceLevel): string {
  return `Package weight exceeds the carrier's maximum of ${level.maxWeightOz / 16} lbs.`;
}

const OUNCES_PER_UNIT: Record<string, number> = { oz: 1, lb: 16, g: 0.035274, kg: 35.274 };

/** A weight in ounces, from a value and one of `oz`, `lb`, `g`, `kg`. */
export function toOunces(value: number, unit: string): number {
  const factor = OUNCES_PER_UNIT[unit];
  if (factor === undefined) throw new Error(`unknown mass unit "${unit}"`);
  return value * factor;
}
