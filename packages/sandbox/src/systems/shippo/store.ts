/** Shippo objects, in the shapes its API returns (the fields the sandbox fills in). */

export const OWNER = 'sandbox@baton.dev';

export interface ShippoAddress {
  object_id: string;
  is_complete: boolean;
  name: string | null;
  company: string | null;
  street1: string;
  street2: string | null;
  city: string;
  state: string | null;
  zip: string;
  country: string;
  phone: string | null;
  email: string | null;
  object_created: string;
  object_updated: string;
  object_owner: string;
  test: true;
}

export interface ShippoParcel {
  object_id: string;
  length: string;
  width: string;
  height: string;
  distance_unit: string;
  weight: string;
  mass_unit: string;
  object_created: string;
  object_owner: string;
  test: true;
}

export interface ShippoRate {
  object_id: string;
  object_created: string;
  object_owner: string;
  shipment: string;
  attributes: string[];
  amount: string;
  currency: 'USD';
  amount_local: string;
  currency_local: 'USD';
  provider: string;
  provider_image_75: string;
  provider_image_200: string;
  servicelevel: { name: string; token: string; terms: string };
  estimated_days: number;
  duration_terms: string;
  carrier_account: string;
  zone: string;
  messages: unknown[];
  test: true;
}

export interface ShippoShipment {
  object_id: string;
  status: 'SUCCESS';
  object_created: string;
  object_updated: string;
  object_owner: string;
  address_from: ShippoAddress;
  address_to: ShippoAddress;
  address_return: ShippoAddress;
  parcels: ShippoParcel[];
  shipment_date: string;
  extra: Record<string, unknown>;
  customs_declaration: null;
  carrier_accounts: string[];
  rates: ShippoRate[];
  messages: Array<{ source: string; code: string; text: string }>;
  metadata: string;
  test: true;
}

export interface ShippoTransaction {
  object_id: string;
  object_state: 'VALID';
  status: 'QUEUED' | 'SUCCESS' | 'ERROR';
  object_created: string;
  object_updated: string;
  object_owner: string;
  test: true;
  rate: string;
  tracking_number: string;
  tracking_status: string;
  tracking_url_provider: string;
  eta: string | null;
  label_url: string;
  commercial_invoice_url: null;
  qr_code_url: null;
  label_file_type: string;
  messages: Array<{ source: string; code: string; text: string }>;
  metadata: string;
  parcel: string | null;
}

/** Everything the Shippo sandbox knows; forgotten on reset. */
export class ShippoStore {
  readonly shipments = new Map<string, ShippoShipment>();
  readonly rates = new Map<string, ShippoRate>();
  readonly transactions = new Map<string, ShippoTransaction>();
  /** Label lines by transaction id, for `/labels/<id>.pdf`. */
  readonly labels = new Map<string, string[]>();

  reset(): void {
    this.shipments.clear();
    this.rates.clear();
    this.transactions.clear();
    this.labels.clear();
  }

  /** The purchase (not failed) that made this tracking number, if any. */
  transactionByTracking(trackingNumber: string): ShippoTransaction | undefined {
    for (const transaction of this.transactions.values()) {
      if (transaction.tracking_number === trackingNumber) return transaction;
    }
    return undefined;
  }
}

/** Shippo's timestamps: ISO 8601 with milliseconds. */
export function timestamp(date = new Date()): string {
  return date.toISOString();
}
