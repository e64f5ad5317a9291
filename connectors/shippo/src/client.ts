import type { HttpClient, HttpSetup } from '@baton/sdk';
import type { LabelOutput, Rate } from '../../shared/shipping';
import type { ShippoConfig } from './config';
import { fromShippoFailure } from './errors';

/** `Authorization: ShippoToken <token>`, and the API version when pinned. */
export function httpSetup(config: ShippoConfig): HttpSetup {
  return {
    baseURL: config.baseUrl,
    headers: {
      authorization: `ShippoToken ${config.apiKey}`,
      ...(config.apiVersion ? { 'shippo-api-version': config.apiVersion } : {}),
    },
  };
}

/** Calls Shippo; failures become Shippo-aware errors. */
export async function shippo<T>(
  http: HttpClient,
  method: 'get' | 'post',
  path: string,
  body?: unknown,
  params?: Record<string, string>,
): Promise<T> {
  try {
    const response =
      method === 'get' ? await http.get<T>(path, params ? { params } : {}) : await http.post<T>(path, body);
    return response.data;
  } catch (error) {
    throw fromShippoFailure(error);
  }
}

/** The parts of Shippo's Rate object the connector reads. */
export interface ShippoRate {
  object_id: string;
  shipment: string;
  amount: string;
  currency: string;
  provider: string;
  servicelevel: { token: string; name?: string };
  estimated_days?: number | null;
}

/** The parts of Shippo's Shipment object the connector reads. */
export interface ShippoShipment {
  object_id: string;
  status: string;
  rates?: ShippoRate[];
  messages?: Array<{ source?: string; text?: string }>;
}

/** The parts of Shippo's Transaction object the connector reads. */
export interface ShippoTransaction {
  object_id: string;
  status: 'WAITING' | 'QUEUED' | 'SUCCESS' | 'ERROR' | 'REFUNDED' | 'REFUNDPENDING' | 'REFUNDREJECTED';
  rate: string;
  tracking_number?: string | null;
  tracking_url_provider?: string | null;
  label_url?: string | null;
  messages?: Array<{ source?: string; code?: string; text?: string }>;
}

/** A Shippo rate in the shared shape. */
export function toRate(rate: ShippoRate): Rate {
  return {
    id: rate.object_id,
    carrier: rate.provider,
    service: rate.servicelevel.token,
    amount: Number(rate.amount),
    currency: rate.currency,
    estimatedDays: rate.estimated_days ?? null,
  };
}

/** A successful purchase in the shared label shape. */
export function toLabel(transaction: ShippoTransaction, rate: ShippoRate): LabelOutput {
  const shared = toRate(rate);
  return {
    provider: 'shippo',
    shipmentId: rate.shipment,
    carrier: shared.carrier,
    service: shared.service,
    rate: shared,
    trackingNumber: transaction.tracking_number ?? '',
    labelUrl: transaction.label_url ?? '',
    trackingUrl: transaction.tracking_url_provider || null,
    labelId: transaction.object_id,
  };
}
