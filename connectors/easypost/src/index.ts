/**
 * `@baton/connector-easypost`: EasyPost shipping. Create a shipment and
 * pick a rate, buy its label, track the parcel. Outputs share one shape
 * with `@baton/connector-shippo`, so a flow can fall back from one to the
 * other and read the result the same way.
 *
 * @example
 * ```json
 * { "id": "label", "action": "carrier-a.buy-label", "input": { "shipmentId": "{{ steps.ship.output.shipmentId }}", "rateId": "{{ steps.ship.output.rate.id }}" } }
 * ```
 *
 * @module
 */

import { defineConnector } from '@baton/sdk';
import type { z } from 'zod';
import type { labelOutput, rate, shipmentOutput, trackingOutput } from '../../shared/shipping';
import pkg from '../package.json' with { type: 'json' };
import { buyLabel } from './actions/buy-label';
import { createShipment } from './actions/create-shipment';
import { track } from './actions/track';
import { checkCredentials } from './check';
import { httpSetup } from './client';
import { config } from './config';

export type { BuyLabelInput } from './actions/buy-label';
export type { CreateShipmentInput } from './actions/create-shipment';
export type { TrackInput } from './actions/track';
export type { EasyPostConfig } from './config';

// Spelled out from the schemas rather than re-exported: the shared module is
// bundled, so the published types must not name it.
/** What `create-shipment` returns (the same shape for every carrier connector). */
export type ShipmentOutput = z.output<typeof shipmentOutput>;
/** What `buy-label` returns. */
export type LabelOutput = z.output<typeof labelOutput>;
/** What `track` returns. */
export type TrackingOutput = z.output<typeof trackingOutput>;
/** One price quote. */
export type Rate = z.output<typeof rate>;

/** The EasyPost connector. Use it in `baton.config.json` as `"use": "@baton/connector-easypost"`. */
export default defineConnector({
  name: 'easypost',
  version: pkg.version,
  description: 'EasyPost shipments, labels and tracking.',
  config,
  http: httpSetup,
  // No default `limits`: EasyPost documents a fixed limit only for its list
  // ("index") endpoints, 5 requests per second, which no action calls;
  // rating and buying sit behind a load-based limiter with no published
  // figure (https://docs.easypost.com/guides/rate-limiting-guide). Its 429s
  // pause the instance instead.
  check: checkCredentials,
  actions: {
    'create-shipment': createShipment,
    'buy-label': buyLabel,
    track,
  },
});
