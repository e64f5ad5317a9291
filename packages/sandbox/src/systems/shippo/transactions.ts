import { Hono } from 'hono';
import type { SandboxState } from '../../state';
import { originOf, readObjectBody, text } from '../_shipping/body';
import { hexId, trackingNumberFor } from '../_shipping/ids';
import { labelPdf } from '../_shipping/label-pdf';
import { badRequest, notFound, REQUIRED } from './errors';
import { SHIPPO_CARRIERS } from './services';
import { OWNER, type ShippoRate, type ShippoStore, type ShippoTransaction, timestamp } from './store';

const PDF_TYPES = ['PDF', 'PDF_4x6', 'PDF_4x8', 'PDF_A4', 'PDF_A6', 'PDF_2.3x7.5'];
const OTHER_TYPES = ['PNG', 'PNG_2.3x7.5', 'ZPLII'];

/**
 * `/transactions`: buy a label for a rate, retrieve, and list (filtered by
 * `rate` and `object_status`). With `async: true` a purchase starts
 * `QUEUED` and is `SUCCESS` from the next read on, as Shippo's queued
 * purchases finish in the background.
 */
export function transactions(store: ShippoStore, state: SandboxState) {
  const app = new Hono();

  app.on('POST', ['/transactions', '/transactions/'], async (c) => {
    const body = await readObjectBody(c);
    if (!body) throw badRequest({ non_field_errors: ['Invalid data. Expected a JSON object.'] });
    const rateId = text(body, 'rate');
    if (!rateId) throw badRequest({ rate: REQUIRED });
    const rate = store.rates.get(rateId);
    if (!rate) throw badRequest({ rate: [`Invalid pk "${rateId}" - object does not exist.`] });
    const fileType = text(body, 'label_file_type') ?? 'PDF';
    if (OTHER_TYPES.includes(fileType)) {
      throw badRequest({
        label_file_type: [`The sandbox prints PDF labels only; "${fileType}" is not available.`],
      });
    }
    if (!PDF_TYPES.includes(fileType))
      throw badRequest({ label_file_type: [`"${fileType}" is not a valid choice.`] });
    const queued = body.async === true || body.async === 'true';

    const now = timestamp();
    const transaction: ShippoTransaction = {
      object_id: hexId(),
      object_state: 'VALID',
      status: 'QUEUED',
      object_created: now,
      object_updated: now,
      object_owner: OWNER,
      test: true,
      rate: rate.object_id,
      tracking_number: '',
      tracking_status: 'UNKNOWN',
      tracking_url_provider: '',
      eta: null,
      label_url: '',
      commercial_invoice_url: null,
      qr_code_url: null,
      label_file_type: fileType,
      messages: [],
      metadata: text(body, 'metadata') ?? '',
      parcel: store.shipments.get(rate.shipment)?.parcels[0]?.object_id ?? null,
    };
    store.transactions.set(transaction.object_id, transaction);
    if (!queued) complete(store, state, transaction, originOf(c));
    return c.json(transaction, 201);
  });

  app.on('GET', ['/transactions', '/transactions/'], (c) => {
    const rate = c.req.query('rate');
    const status = c.req.query('object_status');
    const page = Math.max(1, Number(c.req.query('page') ?? 1) || 1);
    const size = Math.min(100, Math.max(1, Number(c.req.query('results') ?? 25) || 25));
    for (const transaction of store.transactions.values()) complete(store, state, transaction, originOf(c));
    const matching = [...store.transactions.values()].filter(
      (t) => (!rate || t.rate === rate) && (!status || t.status === status),
    );
    const results = matching.slice((page - 1) * size, page * size);
    const link = (to: number) => {
      const url = new URL(c.req.url);
      url.searchParams.set('page', String(to));
      return url.toString();
    };
    return c.json({
      next: page * size < matching.length ? link(page + 1) : null,
      previous: page > 1 ? link(page - 1) : null,
      results,
    });
  });

  app.on('GET', ['/transactions/:id', '/transactions/:id/'], (c) => {
    const transaction = store.transactions.get(c.req.param('id'));
    if (!transaction) throw notFound();
    complete(store, state, transaction, originOf(c));
    return c.json(transaction);
  });

  app.get('/labels/:file', (c) => {
    const lines = store.labels.get(c.req.param('file').replace(/\.pdf$/, ''));
    if (!lines) throw notFound();
    return c.body(labelPdf(lines), 200, { 'content-type': 'application/pdf' });
  });

  return app;
}

/** Finishes a queued purchase: tracking number, label, ledger effect. */
function complete(
  store: ShippoStore,
  state: SandboxState,
  transaction: ShippoTransaction,
  origin: string,
): void {
  if (transaction.status !== 'QUEUED') return;
  const rate = store.rates.get(transaction.rate);
  if (!rate) return;
  const number = trackingNumberFor(rate.provider);
  transaction.status = 'SUCCESS';
  transaction.object_updated = timestamp();
  transaction.tracking_number = number;
  transaction.tracking_status = 'PRE_TRANSIT';
  transaction.tracking_url_provider = trackingUrl(rate.provider, number);
  transaction.eta = new Date(Date.now() + rate.estimated_days * 86_400_000).toISOString();
  transaction.label_url = `${origin}/shippo/labels/${transaction.object_id}.pdf`;
  store.labels.set(transaction.object_id, labelLines(store, rate, number));
  state.effect('shippo', 'label.purchased', rate.shipment, {
    label: transaction.object_id,
    tracking_number: number,
    carrier: rate.provider,
    service: rate.servicelevel.token,
    rate: rate.amount,
    metadata: transaction.metadata,
  });
}

function trackingUrl(provider: string, number: string): string {
  switch (provider) {
    case 'UPS':
      return `https://www.ups.com/track?tracknum=${number}`;
    case 'FedEx':
      return `https://www.fedex.com/fedextrack/?trknbr=${number}`;
    default:
      return `https://tools.usps.com/go/TrackConfirmAction_input?origTrackNum=${number}`;
  }
}

function labelLines(store: ShippoStore, rate: ShippoRate, number: string): string[] {
  const shipment = store.shipments.get(rate.shipment);
  const to = shipment?.address_to;
  const from = shipment?.address_from;
  return [
    `${rate.provider} ${rate.servicelevel.name}`,
    `TRACKING # ${number}`,
    'SHIP TO:',
    to?.name ?? to?.company ?? '',
    to?.street1 ?? '',
    `${to?.city ?? ''}, ${to?.state ?? ''} ${to?.zip ?? ''} ${to?.country ?? ''}`,
    'FROM:',
    `${from?.name ?? from?.company ?? ''}, ${from?.city ?? ''} ${from?.zip ?? ''}`,
    `POSTAGE $${rate.amount}`,
    'SANDBOX LABEL - NOT VALID FOR MAILING',
  ];
}

/** The carrier token (`usps`, `ups`, `fedex`) of the carrier that sold a rate. */
export function carrierToken(rate: ShippoRate): string {
  return (
    SHIPPO_CARRIERS.find((carrier) => carrier.account === rate.carrier_account)?.token ??
    rate.provider.toLowerCase()
  );
}
