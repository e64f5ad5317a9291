/**
 * `@baton/connector-shippo`: Shippo shipping. Create a shipment and pick a
 * rate, buy its label, track the parcel. Outputs share one shape with
 * `@baton/connector-easypost`, so a flow can fall back from one to the
 * other and read the result the same way.
 *
 * @example
 * ```json
 * { "id": "label", "action": "carrier-b.buy-label", "input": { "shipmentId": "{{ steps.ship.output.shipmentId }}", "rateId": "{{ steps.ship.output.rate.id }}" } }
 * ```
 *
 * @module
 */
import { defineConnector } from '@baton/sdk';
import pkg from '../package.json' with { type: 'json' };
import { buyLabel } from './actions/buy-label';
import { createShipment } from './actions/create-shipment';
import { track } from './actions/track';
import { httpSetup } from './client';
import { config } from './config';

export type { BuyLabelInput } from './actions/buy-label';
export type { CreateShipmentInput } from './actions/create-shipment';
export type { TrackInput } from './actions/track';
export type { ShippoConfig } from './config';
export type { LabelOutput, Rate, ShipmentOutput, TrackingOutput } from './shipping';

/** The Shippo connector. Use it in `baton.config.json` as `"use": "@baton/connector-shippo"`. */
export default defineConnector({
  name: 'shippo',
  version: pkg.version,
  description: 'Shippo shipments, labels and tracking.',
  config,
  http: httpSetup,
  actions: {
    'create-shipment': createShipment,
    'buy-label': buyLabel,
    track,
  },
});
