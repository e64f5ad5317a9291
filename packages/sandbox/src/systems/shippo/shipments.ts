import { Hono } from 'hono';
import type { SandboxState } from '../../state';
import { positive, readObjectBody, text } from '../_shipping/body';
import { hexId } from '../_shipping/ids';
import { fits, priceOf, toOunces, tooHeavyMessage, zoneOf } from '../_shipping/rating';
import { badRequest, notFound, REQUIRED } from './errors';
import { SHIPPO_CARRIERS, type ShippoCarrier } from './services';
import {
  OWNER,
  type ShippoAddress,
  type ShippoParcel,
  type ShippoRate,
  type ShippoShipment,
  type ShippoStore,
  timestamp,
} from './store';

const DISTANCE_UNITS = ['cm', 'in', 'ft', 'mm', 'm', 'yd'];
const MASS_UNITS = ['g', 'oz', 'lb', 'kg'];

/**
 * `/shipments` (create with rates from USPS, UPS and FedEx, retrieve) and
 * `/rates/<id>`. Shipments are rated at once, as with `async: false`.
 */
export function shipments(store: ShippoStore, state: SandboxState) {
  const app = new Hono();

  app.on('POST', ['/shipments', '/shipments/'], async (c) => {
    const body = await readObjectBody(c);
    if (!body) throw badRequest({ non_field_errors: ['Invalid data. Expected a JSON object.'] });
    const errors: Record<string, unknown> = {};
    const from = address(body.address_from, 'address_from', errors);
    const to = address(body.address_to, 'address_to', errors);
    const parcels = parcelList(body.parcels, errors);
    const carriers = carrierAccounts(body.carrier_accounts, errors);
    if (!from || !to || !parcels || !carriers || Object.keys(errors).length > 0) throw badRequest(errors);

    const id = hexId();
    const now = timestamp();
    const weights = parcels.map((p) => toOunces(Number(p.weight), p.mass_unit));
    const zone = zoneOf({
      fromZip: from.zip,
      fromCountry: from.country,
      toZip: to.zip,
      toCountry: to.country,
    });
    const rates: ShippoRate[] = [];
    const messages: ShippoShipment['messages'] = [];
    for (const carrier of carriers) {
      const usable = carrier.services.filter((level) => fits(level, weights));
      const first = carrier.services[0];
      if (usable.length === 0 && first) {
        messages.push({
          source: carrier.provider,
          code: 'weight_exceeds_limit',
          text: tooHeavyMessage(first),
        });
      }
      for (const level of usable) {
        const amount = priceOf(level, weights, zone);
        rates.push({
          object_id: hexId(),
          object_created: now,
          object_owner: OWNER,
          shipment: id,
          attributes: [],
          amount,
          currency: 'USD',
          amount_local: amount,
          currency_local: 'USD',
          provider: carrier.provider,
          provider_image_75: `https://shippo-static.s3.amazonaws.com/providers/75/${carrier.provider}.png`,
          provider_image_200: `https://shippo-static.s3.amazonaws.com/providers/200/${carrier.provider}.png`,
          servicelevel: { name: level.name, token: level.service, terms: '' },
          estimated_days: level.days,
          duration_terms: `Delivery in ${level.days} business day${level.days === 1 ? '' : 's'}.`,
          carrier_account: carrier.account,
          zone: String(zone),
          messages: [],
          test: true,
        });
      }
    }
    markAttributes(rates);
    const shipment: ShippoShipment = {
      object_id: id,
      status: 'SUCCESS',
      object_created: now,
      object_updated: now,
      object_owner: OWNER,
      address_from: from,
      address_to: to,
      address_return: from,
      parcels,
      shipment_date: text(body, 'shipment_date') ?? now,
      extra:
        typeof body.extra === 'object' && body.extra !== null ? (body.extra as Record<string, unknown>) : {},
      customs_declaration: null,
      carrier_accounts: carriers.map((carrier) => carrier.account),
      rates,
      messages,
      metadata: text(body, 'metadata') ?? '',
      test: true,
    };
    store.shipments.set(id, shipment);
    for (const rate of rates) store.rates.set(rate.object_id, rate);
    state.effect('shippo', 'shipment.created', id, { metadata: shipment.metadata, rates: rates.length });
    return c.json(shipment, 201);
  });

  app.on('GET', ['/shipments/:id', '/shipments/:id/'], (c) => {
    const shipment = store.shipments.get(c.req.param('id'));
    if (!shipment) throw notFound();
    return c.json(shipment);
  });

  app.on('GET', ['/rates/:id', '/rates/:id/'], (c) => {
    const rate = store.rates.get(c.req.param('id'));
    if (!rate) throw notFound();
    return c.json(rate);
  });

  return app;
}

function address(raw: unknown, field: string, errors: Record<string, unknown>): ShippoAddress | undefined {
  if (raw === undefined) {
    errors[field] = REQUIRED;
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    errors[field] = { non_field_errors: [`Invalid data. Expected a dictionary, but got ${typeof raw}.`] };
    return undefined;
  }
  const source = raw as Record<string, unknown>;
  const absent = ['street1', 'city', 'zip', 'country'].filter((name) => !text(source, name));
  if (absent.length > 0) {
    errors[field] = Object.fromEntries(absent.map((name) => [name, REQUIRED]));
    return undefined;
  }
  const now = timestamp();
  return {
    object_id: hexId(),
    is_complete: true,
    name: text(source, 'name') ?? null,
    company: text(source, 'company') ?? null,
    street1: text(source, 'street1') ?? '',
    street2: text(source, 'street2') ?? null,
    city: text(source, 'city') ?? '',
    state: text(source, 'state') ?? null,
    zip: text(source, 'zip') ?? '',
    country: (text(source, 'country') ?? '').toUpperCase(),
    phone: text(source, 'phone') ?? null,
    email: text(source, 'email') ?? null,
    object_created: now,
    object_updated: now,
    object_owner: OWNER,
    test: true,
  };
}

function parcelList(raw: unknown, errors: Record<string, unknown>): ShippoParcel[] | undefined {
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : undefined;
  if (!list || list.length === 0) {
    errors.parcels = REQUIRED;
    return undefined;
  }
  const parcels: ShippoParcel[] = [];
  const problems = list.map((entry): Record<string, string[]> => {
    const source = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const issues: Record<string, string[]> = {};
    for (const name of ['length', 'width', 'height', 'weight']) {
      if (source[name] === undefined) issues[name] = REQUIRED;
      else if (positive(source, name) === undefined)
        issues[name] = ['A valid number greater than 0 is required.'];
    }
    const distance = text(source, 'distance_unit');
    const mass = text(source, 'mass_unit');
    if (!distance) issues.distance_unit = REQUIRED;
    else if (!DISTANCE_UNITS.includes(distance))
      issues.distance_unit = [`"${distance}" is not a valid choice.`];
    if (!mass) issues.mass_unit = REQUIRED;
    else if (!MASS_UNITS.includes(mass)) issues.mass_unit = [`"${mass}" is not a valid choice.`];
    if (Object.keys(issues).length === 0 && distance && mass) {
      parcels.push({
        object_id: hexId(),
        length: String(source.length),
        width: String(source.width),
        height: String(source.height),
        distance_unit: distance,
        weight: String(source.weight),
        mass_unit: mass,
        object_created: timestamp(),
        object_owner: OWNER,
        test: true,
      });
    }
    return issues;
  });
  if (problems.some((issues) => Object.keys(issues).length > 0)) {
    errors.parcels = problems;
    return undefined;
  }
  return parcels;
}

function carrierAccounts(
  raw: unknown,
  errors: Record<string, unknown>,
): readonly ShippoCarrier[] | undefined {
  if (raw === undefined) return SHIPPO_CARRIERS;
  const ids = Array.isArray(raw) ? raw : [raw];
  const found = SHIPPO_CARRIERS.filter((carrier) => ids.includes(carrier.account));
  const unknown = ids.filter((id) => !SHIPPO_CARRIERS.some((carrier) => carrier.account === id));
  if (unknown.length > 0) {
    errors.carrier_accounts = unknown.map((id) => `Carrier account ${String(id)} does not exist.`);
    return undefined;
  }
  return found;
}

/** Shippo tags the cheapest, the fastest and the best value (price × days) rates. */
function markAttributes(rates: ShippoRate[]): void {
  const pick = (score: (rate: ShippoRate) => number) =>
    rates.reduce<ShippoRate | undefined>(
      (best, rate) => (!best || score(rate) < score(best) ? rate : best),
      undefined,
    );
  pick((rate) => Number(rate.amount))?.attributes.push('CHEAPEST');
  pick((rate) => rate.estimated_days)?.attributes.push('FASTEST');
  pick((rate) => Number(rate.amount) * rate.estimated_days)?.attributes.push('BESTVALUE');
}
