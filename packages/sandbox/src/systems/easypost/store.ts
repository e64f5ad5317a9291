/** EasyPost objects, in the shapes its API returns (the fields the sandbox fills in). */

export interface EasyPostAddress {
  id: string;
  object: 'Address';
  mode: 'test';
  created_at: string;
  updated_at: string;
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
  residential: boolean | null;
  verifications: Record<string, unknown>;
}

export interface EasyPostParcel {
  id: string;
  object: 'Parcel';
  mode: 'test';
  created_at: string;
  updated_at: string;
  length: number | null;
  width: number | null;
  height: number | null;
  predefined_package: string | null;
  weight: number;
}

export interface EasyPostRate {
  id: string;
  object: 'Rate';
  mode: 'test';
  created_at: string;
  updated_at: string;
  service: string;
  carrier: string;
  rate: string;
  currency: 'USD';
  retail_rate: string;
  retail_currency: 'USD';
  list_rate: string;
  list_currency: 'USD';
  delivery_days: number;
  est_delivery_days: number;
  delivery_date: null;
  delivery_date_guaranteed: false;
  shipment_id: string;
  carrier_account_id: string;
}

export interface TrackingDetail {
  object: 'TrackingDetail';
  message: string;
  description: string;
  status: string;
  status_detail: string;
  datetime: string;
  source: string;
  tracking_location: {
    object: 'TrackingLocation';
    city: string | null;
    state: string | null;
    country: string | null;
    zip: string | null;
  };
}

export interface EasyPostTracker {
  id: string;
  object: 'Tracker';
  mode: 'test';
  tracking_code: string;
  status: string;
  status_detail: string;
  created_at: string;
  updated_at: string;
  signed_by: string | null;
  est_delivery_date: string | null;
  shipment_id: string | null;
  carrier: string;
  tracking_details: TrackingDetail[];
  public_url: string;
}

export interface EasyPostShipment {
  id: string;
  object: 'Shipment';
  mode: 'test';
  created_at: string;
  updated_at: string;
  reference: string | null;
  status: string;
  tracking_code: string | null;
  to_address: EasyPostAddress;
  from_address: EasyPostAddress;
  return_address: EasyPostAddress;
  buyer_address: EasyPostAddress;
  parcel: EasyPostParcel;
  rates: EasyPostRate[];
  messages: Array<{ carrier: string; carrier_account_id: string; type: 'rate_error'; message: string }>;
  selected_rate: EasyPostRate | null;
  postage_label: Record<string, unknown> | null;
  tracker: EasyPostTracker | null;
  insurance: string | null;
  fees: Array<{ object: 'Fee'; type: string; amount: string; charged: boolean; refunded: boolean }>;
  options: Record<string, unknown>;
  is_return: boolean;
}

/** Everything the EasyPost sandbox knows; forgotten on reset. */
export class EasyPostStore {
  readonly shipments = new Map<string, EasyPostShipment>();
  readonly addresses = new Map<string, EasyPostAddress>();
  readonly trackers = new Map<string, EasyPostTracker>();
  /** Labels by postage label id: the lines printed on the PDF. */
  readonly labels = new Map<string, string[]>();

  reset(): void {
    this.shipments.clear();
    this.addresses.clear();
    this.trackers.clear();
    this.labels.clear();
  }

  /** EasyPost keeps one tracker per tracking code and carrier. */
  trackerFor(code: string, carrier: string): EasyPostTracker | undefined {
    for (const tracker of this.trackers.values()) {
      if (tracker.tracking_code === code && tracker.carrier.toUpperCase() === carrier.toUpperCase())
        return tracker;
    }
    return undefined;
  }
}

/** EasyPost's timestamp format: ISO 8601 to the second. */
export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
