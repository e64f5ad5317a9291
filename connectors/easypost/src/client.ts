import type { HttpClient, HttpSetup } from '@baton/sdk';
import type { LabelOutput, Rate } from '../../shared/shipping';
import type { EasyPostConfig } from './config';
import { fromEasyPostFailure } from './errors';

/** EasyPost takes the API key as the HTTP Basic username, with no password. */
export function httpSetup(config: EasyPostConfig): HttpSetup {
  return { baseURL: config.baseUrl, auth: { username: config.apiKey, password: '' } };
}

/** Calls EasyPost; failures become EasyPost-aware errors. */
export async function easyPost<T>(
  http: HttpClient,
  method: 'get' | 'post',
  path: string,
  body?: unknown,
): Promise<T> {
  try {
    const response = method === 'get' ? await http.get<T>(path) : await http.post<T>(path, body);
    return response.data;
  } catch (error) {
    throw fromEasyPostFailure(error);
  }
}

/** The parts of EasyPost's Rate object the connector reads. */
export interface EasyPostRate {
  id: string;
  carrier: string;
  service: string;
  rate: string;
  currency: string;
  delivery_days?: number | null;
  est_delivery_days?: number | null;
}

/** The parts of EasyPost's Shipment object the connector reads. */
export interface EasyPostShipment {
  id: string;
  rates?: EasyPostRate[];
  messages?: Array<{ carrier?: string; message?: string }>;
  selected_rate?: EasyPostRate | null;
  tracking_code?: string | null;
  postage_label?: { id: string; label_url: string } | null;
  tracker?: { public_url?: string | null } | null;
}

/** An EasyPost rate in the shared shape. */
export function toRate(rate: EasyPostRate): Rate {
  return {
    id: rate.id,
    carrier: rate.carrier,
    service: rate.service,
    amount: Number(rate.rate),
    currency: rate.currency,
    estimatedDays: rate.delivery_days ?? rate.est_delivery_days ?? null,
  };
}

/** A bought shipment as the shared label shape, or undefined when it has no label yet. */
export function toLabel(shipment: EasyPostShipment): LabelOutput | undefined {
  const selected = shipment.selected_rate;
  const label = shipment.postage_label;
  if (!selected || !label || !shipment.tracking_code) return undefined;
  return {
    provider: 'easypost',
    shipmentId: shipment.id,
    carrier: selected.carrier,
    service: selected.service,
    rate: toRate(selected),
    trackingNumber: shipment.tracking_code,
    labelUrl: label.label_url,
    trackingUrl: shipment.tracker?.public_url ?? null,
    labelId: label.id,
  };
}
