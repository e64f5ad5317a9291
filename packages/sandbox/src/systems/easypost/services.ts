import type { ServiceLevel } from '../_shipping/rating';

/** A carrier account the sandbox's EasyPost user has, with the services it rates. */
export interface CarrierAccount {
  id: string;
  carrier: string;
  services: ServiceLevel[];
}

const USPS_MAX = 70 * 16;
const UPS_MAX = 150 * 16;

/** USPS and UPS, as EasyPost names their services. */
export const CARRIER_ACCOUNTS: readonly CarrierAccount[] = [
  {
    id: 'ca_b25657e9896e4d63ac8151ac346ac41e',
    carrier: 'USPS',
    services: [
      {
        carrier: 'USPS',
        service: 'GroundAdvantage',
        name: 'Ground Advantage',
        days: 5,
        base: 5.4,
        perLb: 0.9,
        maxWeightOz: USPS_MAX,
      },
      {
        carrier: 'USPS',
        service: 'Priority',
        name: 'Priority Mail',
        days: 2,
        base: 7.47,
        perLb: 1.35,
        maxWeightOz: USPS_MAX,
      },
      {
        carrier: 'USPS',
        service: 'Express',
        name: 'Priority Mail Express',
        days: 1,
        base: 26.35,
        perLb: 2.9,
        maxWeightOz: USPS_MAX,
      },
    ],
  },
  {
    id: 'ca_7c1f3a9e2d4b4f0a8e6d5c3b2a190f87',
    carrier: 'UPS',
    services: [
      {
        carrier: 'UPS',
        service: 'Ground',
        name: 'UPS Ground',
        days: 4,
        base: 9.8,
        perLb: 0.75,
        maxWeightOz: UPS_MAX,
      },
      {
        carrier: 'UPS',
        service: '2ndDayAir',
        name: 'UPS 2nd Day Air',
        days: 2,
        base: 18.9,
        perLb: 2.1,
        maxWeightOz: UPS_MAX,
      },
      {
        carrier: 'UPS',
        service: 'NextDayAir',
        name: 'UPS Next Day Air',
        days: 1,
        base: 34.5,
        perLb: 3.6,
        maxWeightOz: UPS_MAX,
      },
    ],
  },
];
