import { Hono } from 'hono';
import type { SandboxState } from '../../state';
import { originOf, positive, readObjectBody, record, text } from '../_shipping/body';
import { hexId, trackingNumberFor } from '../_shipping/ids';
import { labelPdf } from '../_shipping/label-pdf';
import { fits, priceOf, tooHeavyMessage, zoneOf } from '../_shipping/rating';
import { scheduleDelivery } from './delivery';
import { EasyPostError, invalid, missing, notFound } from './errors';
import { CARRIER_ACCOUNTS, type CarrierAccount } from './services';
import type { EasyPostAddress, EasyPostParcel, EasyPostRate, EasyPostShipment, EasyPostStore } from './store';
import { timestamp } from './store';
import { createTracker } from './trackers';

/**
 * `/v2/shipments`: create (rated by every carrier account, or the ones
 * named in `carrier_accounts`), retrieve, and buy a rate. Buying twice is
 * EasyPost's 422 `SHIPMENT.POSTAGE.EXISTS`.
 */
export function shipments(store: EasyPostStore, state: SandboxState) {
  const app = new Hono();

  app.post('/', async (c) => {
    const body = await readObjectBody(c);
    if (!body) throw new EasyPostError(400, 'BAD_REQUEST', 'The request body could not be parsed.');
    const input = record(body, 'shipment');
    if (!input) throw missing('shipment');
    const absent = ['to_address', 'from_address', 'parcel'].filter((name) => !record(input, name));
    if (absent.length > 0) throw missing(...absent.map((name) => `shipment.${name}`));
    const to = address(store, record(input, 'to_address'), 'to_address');
    const from = address(store, record(input, 'from_address'), 'from_address');
    const box = parcel(record(input, 'parcel'));
    const accounts = carrierAccounts(input.carrier_accounts);

    const id = `shp_${hexId()}`;
    const now = timestamp();
    const zone = zoneOf({
      fromZip: from.zip,
      fromCountry: from.country,
      toZip: to.zip,
      toCountry: to.country,
    });
    const rates: EasyPostRate[] = [];
    const messages: EasyPostShipment['messages'] = [];
    for (const account of accounts) {
      const usable = account.services.filter((level) => fits(level, [box.weight]));
      if (usable.length === 0) {
        const first = account.services[0];
        if (first) {
          messages.push({
            carrier: account.carrier,
            carrier_account_id: account.id,
            type: 'rate_error',
            message: tooHeavyMessage(first),
          });
        }
        continue;
      }
      for (const level of usable) {
        const price = priceOf(level, [box.weight], zone);
        rates.push({
          id: `rate_${hexId()}`,
          object: 'Rate',
          mode: 'test',
          created_at: now,
          updated_at: now,
          service: level.service,
          carrier: level.carrier,
          rate: price,
          currency: 'USD',
          retail_rate: (Number(price) * 1.25).toFixed(2),
          retail_currency: 'USD',
          list_rate: (Number(price) * 1.1).toFixed(2),
          list_currency: 'USD',
          delivery_days: level.days,
          est_delivery_days: level.days,
          delivery_date: null,
          delivery_date_guaranteed: false,
          shipment_id: id,
          carrier_account_id: account.id,
        });
      }
    }
    const shipment: EasyPostShipment = {
      id,
      object: 'Shipment',
      mode: 'test',
      created_at: now,
      updated_at: now,
      reference: text(input, 'reference') ?? null,
      status: 'unknown',
      tracking_code: null,
      to_address: to,
      from_address: from,
      return_address: from,
      buyer_address: to,
      parcel: box,
      rates,
      messages,
      selected_rate: null,
      postage_label: null,
      tracker: null,
      insurance: null,
      fees: [],
      options: record(input, 'options') ?? {},
      is_return: false,
    };
    store.shipments.set(id, shipment);
    state.effect('easypost', 'shipment.created', id, { reference: shipment.reference, rates: rates.length });
    return c.json(shipment, 201);
  });

  app.get('/:id', (c) => c.json(find(store, c.req.param('id'))));

  app.post('/:id/buy', async (c) => {
    const body = await readObjectBody(c);
    if (!body) throw new EasyPostError(400, 'BAD_REQUEST', 'The request body could not be parsed.');
    const rateId = text(record(body, 'rate'), 'id') ?? text(body, 'rate');
    if (!rateId) throw missing('rate');
    const shipment = find(store, c.req.param('id'));
    if (shipment.postage_label) {
      throw new EasyPostError(
        422,
        'SHIPMENT.POSTAGE.EXISTS',
        'A postage label has already been purchased for this shipment.',
      );
    }
    const rate = shipment.rates.find((candidate) => candidate.id === rateId);
    if (!rate) throw invalid('rate', `Rate ${rateId} does not belong to shipment ${shipment.id}.`);
    const insurance = positive(body, 'insurance');

    const now = timestamp();
    const code = trackingNumberFor(rate.carrier);
    const labelId = `pl_${hexId()}`;
    const labelUrl = `${originOf(c)}/easypost/files/postage_label/${labelId}.pdf`;
    store.labels.set(labelId, labelLines(shipment, rate, code));
    shipment.tracking_code = code;
    shipment.selected_rate = { ...rate, updated_at: now };
    shipment.insurance = insurance === undefined ? null : insurance.toFixed(2);
    shipment.postage_label = {
      object: 'PostageLabel',
      id: labelId,
      created_at: now,
      updated_at: now,
      date_advance: 0,
      integrated_form: 'none',
      label_date: now,
      label_resolution: 300,
      label_size: '4x6',
      label_type: 'default',
      label_file_type: 'application/pdf',
      label_url: labelUrl,
      label_pdf_url: labelUrl,
      label_zpl_url: null,
      label_epl2_url: null,
      label_file: null,
    };
    shipment.tracker = createTracker(store, code, rate.carrier, { shipmentId: shipment.id });
    shipment.fees = [
      { object: 'Fee', type: 'LabelFee', amount: '0.00000', charged: true, refunded: false },
      {
        object: 'Fee',
        type: 'PostageFee',
        amount: Number(rate.rate).toFixed(5),
        charged: true,
        refunded: false,
      },
    ];
    shipment.updated_at = now;
    state.effect('easypost', 'label.purchased', shipment.id, {
      label: labelId,
      tracking_code: code,
      carrier: rate.carrier,
      service: rate.service,
      rate: rate.rate,
      reference: shipment.reference,
    });
    scheduleDelivery(state, shipment);
    return c.json(shipment);
  });

  return app;
}

/** `/files/postage_label/<id>.pdf`: the label a purchase points to. */
export function labelFiles(store: EasyPostStore) {
  const app = new Hono();
  app.get('/postage_label/:file', (c) => {
    const lines = store.labels.get(c.req.param('file').replace(/\.pdf$/, ''));
    if (!lines) throw notFound();
    return c.body(labelPdf(lines), 200, { 'content-type': 'application/pdf' });
  });
  return app;
}

function find(store: EasyPostStore, id: string): EasyPostShipment {
  const shipment = store.shipments.get(id);
  if (!shipment) throw notFound();
  return shipment;
}

function address(
  store: EasyPostStore,
  raw: Record<string, unknown> | undefined,
  field: string,
): EasyPostAddress {
  const reused = text(raw, 'id');
  if (reused) {
    const known = store.addresses.get(reused);
    if (!known) throw invalid(`${field}.id`, `Address ${reused} does not exist.`);
    return known;
  }
  const absent = ['street1', 'city', 'zip'].filter((name) => !text(raw, name));
  if (absent.length > 0) throw missing(...absent.map((name) => `${field}.${name}`));
  const now = timestamp();
  const created: EasyPostAddress = {
    id: `adr_${hexId()}`,
    object: 'Address',
    mode: 'test',
    created_at: now,
    updated_at: now,
    name: text(raw, 'name') ?? null,
    company: text(raw, 'company') ?? null,
    street1: text(raw, 'street1') ?? '',
    street2: text(raw, 'street2') ?? null,
    city: text(raw, 'city') ?? '',
    state: text(raw, 'state') ?? null,
    zip: text(raw, 'zip') ?? '',
    // EasyPost assumes US addresses when no country is given.
    country: (text(raw, 'country') ?? 'US').toUpperCase(),
    phone: text(raw, 'phone') ?? null,
    email: text(raw, 'email') ?? null,
    residential: null,
    verifications: {},
  };
  store.addresses.set(created.id, created);
  return created;
}

function parcel(raw: Record<string, unknown> | undefined): EasyPostParcel {
  if (raw?.weight === undefined) throw missing('shipment.parcel.weight');
  const weight = positive(raw, 'weight');
  if (weight === undefined)
    throw invalid('shipment.parcel.weight', 'must be a number of ounces greater than 0');
  const now = timestamp();
  return {
    id: `prcl_${hexId()}`,
    object: 'Parcel',
    mode: 'test',
    created_at: now,
    updated_at: now,
    length: positive(raw, 'length') ?? null,
    width: positive(raw, 'width') ?? null,
    height: positive(raw, 'height') ?? null,
    predefined_package: text(raw, 'predefined_package') ?? null,
    weight,
  };
}

function carrierAccounts(raw: unknown): readonly CarrierAccount[] {
  if (raw === undefined) return CARRIER_ACCOUNTS;
  const list = Array.isArray(raw)
    ? raw
    : typeof raw === 'object' && raw !== null
      ? Object.values(raw)
      : [raw];
  return list.map((entry) => {
    const id = typeof entry === 'string' ? entry : text(entry as Record<string, unknown>, 'id');
    const account = CARRIER_ACCOUNTS.find((candidate) => candidate.id === id);
    if (!account) throw invalid('shipment.carrier_accounts', `Carrier account ${String(id)} does not exist.`);
    return account;
  });
}

function labelLines(shipment: EasyPostShipment, rate: EasyPostRate, code: string): string[] {
  const to = shipment.to_address;
  const from = shipment.from_address;
  return [
    `${rate.carrier} ${rate.service}`,
    `TRACKING # ${code}`,
    'SHIP TO:',
    to.name ?? to.company ?? '',
    to.street1,
    `${to.city}, ${to.state ?? ''} ${to.zip} ${to.country}`,
    'FROM:',
    `${from.name ?? from.company ?? ''}, ${from.city} ${from.zip}`,
    `WEIGHT ${shipment.parcel.weight} OZ  POSTAGE $${rate.rate}`,
    'SANDBOX LABEL - NOT VALID FOR MAILING',
  ];
}
