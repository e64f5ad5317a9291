import type { ServiceLevel } from '../_shipping/rating';

/** A carrier account of the sandbox's Shippo user. */
export interface ShippoCarrier {
  /** Shippo's `carrier_account` object id. */
  account: string;
  /** The `provider` on rates, such as `USPS`. */
  provider: string;
  /** The carrier token in tracking URLs, such as `usps`. */
  token: string;
  services: ServiceLevel[];
}

const USPS_MAX = 70 * 16;
const HEAVY_MAX = 150 * 16;

/** USPS, UPS and FedEx, with Shippo's service level tokens. */
export const SHIPPO_CARRIERS: readonly ShippoCarrier[] = [
  {
    account: 'b741b99f95e841639b54272834bc478c',
    provider: 'USPS',
    token: 'usps',
    services: [
      {
        carrier: 'USPS',
        service: 'usps_ground_advantage',
        name: 'Ground Advantage',
        days: 5,
        base: 5.55,
        perLb: 0.95,
        maxWeightOz: USPS_MAX,
      },
      {
        carrier: 'USPS',
        service: 'usps_priority',
        name: 'Priority Mail',
        days: 2,
        base: 7.6,
        perLb: 1.4,
        maxWeightOz: USPS_MAX,
      },
      {
        carrier: 'USPS',
        service: 'usps_priority_express',
        name: 'Priority Mail Express',
        days: 1,
        base: 26.9,
        perLb: 3.0,
        maxWeightOz: USPS_MAX,
      },
    ],
  },
  {
    account: '0d9e1f4a6c2b4e8f9a3d5c7b1e2f4a6c',
    provider: 'UPS',
    token: 'ups',
    services: [
      {
        carrier: 'UPS',
        service: 'ups_ground',
        name: 'Ground',
        days: 4,
        base: 9.95,
        perLb: 0.8,
        maxWeightOz: HEAVY_MAX,
      },
      {
        carrier: 'UPS',
        service: 'ups_second_day_air',
        name: '2nd Day Air®',
        days: 2,
        base: 19.4,
        perLb: 2.2,
        maxWeightOz: HEAVY_MAX,
      },
    ],
  },
  {
    account: '5a7c9e1b3d5f4a6c8e0b2d4f6a8c0e2b',
    provider: 'FedEx',
    token: 'fedex',
    services: [
      {
        carrier: 'FedEx',
        service: 'fedex_ground',
        name: 'FedEx Ground®',
        days: 4,
        base: 10.2,
        perLb: 0.78,
        maxWeightOz: HEAVY_MAX,
      },
      {
        carrier: 'FedEx',
        service: 'fedex_2_day',
        name: 'FedEx 2Day®',
        days: 2,
        base: 20.1,
        perLb: 2.15,
        maxWeightOz: HEAVY_MAX,
      },
    ],
  },
];
