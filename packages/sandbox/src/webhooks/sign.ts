import { createHmac } from 'node:crypto';

/** The signature schemes a Baton source can verify, as `verify.scheme` names them. */
export const WEBHOOK_SCHEMES = ['standard-webhooks', 'stripe', 'github', 'shopify', 'hmac-sha256'] as const;

/** One of `WEBHOOK_SCHEMES`. */
export type WebhookScheme = (typeof WEBHOOK_SCHEMES)[number];

/** What to sign, and how. */
export interface SignWebhookOptions {
  scheme: WebhookScheme;
  /**
   * The shared secret. Standard Webhooks: `whsec_<base64>` (the key is the
   * decoded base64); every other scheme uses the text as the HMAC key.
   */
  secret: string;
  /** The event id: `webhook-id`, `X-GitHub-Delivery`, `X-Shopify-Webhook-Id`, or `idHeader`. */
  id: string;
  /** The event type: `X-GitHub-Event`, `X-Shopify-Topic` or `typeHeader`; in the body for the others. */
  type: string;
  /** The exact body: a string is sent as is, anything else as JSON. */
  body: unknown;
  /** Unix time in seconds of the signature (Standard Webhooks, Stripe). @default now */
  timestamp?: number;
  /** hmac-sha256: the header that carries the signature. @default `X-Signature` */
  header?: string;
  /** hmac-sha256: how the digest is written. @default `hex` */
  encoding?: 'hex' | 'base64';
  /** hmac-sha256: text before the digest, such as `sha256=`. @default none */
  prefix?: string;
  /** hmac-sha256: a header to carry the event id. @default none */
  idHeader?: string;
  /** hmac-sha256: a header to carry the event type. @default none */
  typeHeader?: string;
  /** shopify: the `X-Shopify-Shop-Domain`. @default `baton-sandbox.myshopify.com` */
  shopDomain?: string;
}

/** A signed request, ready to POST. */
export interface SignedWebhook {
  headers: Record<string, string>;
  body: string;
}

/**
 * Signs a webhook the way the sending system does, so a Baton gateway (or
 * the system's official verifying library) accepts it:
 *
 * | scheme | headers |
 * |---|---|
 * | `standard-webhooks` | `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC of "id.timestamp.body">` |
 * | `stripe` | `Stripe-Signature: t=<timestamp>,v1=<hex HMAC of "timestamp.body">` |
 * | `github` | `X-Hub-Signature-256: sha256=<hex HMAC of body>`, `X-GitHub-Event`, `X-GitHub-Delivery` |
 * | `shopify` | `X-Shopify-Hmac-Sha256: <base64 HMAC of body>`, `X-Shopify-Topic`, `X-Shopify-Webhook-Id`, `X-Shopify-Shop-Domain` |
 * | `hmac-sha256` | `<header>: <prefix><hex or base64 HMAC of body>` |
 *
 * @example
 * ```ts
 * const { headers, body } = signWebhook({ scheme: 'github', secret, id: randomUUID(), type: 'push', body: payload });
 * await fetch(`${gateway}/webhooks/github`, { method: 'POST', headers, body });
 * ```
 */
export function signWebhook(options: SignWebhookOptions): SignedWebhook {
  if (!options.secret) throw new TypeError('signWebhook: the secret is empty');
  const body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const json = { 'content-type': 'application/json' };
  const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text, 'utf8');
  switch (options.scheme) {
    case 'standard-webhooks': {
      const timestamp = String(options.timestamp ?? now());
      const signature = hmac(
        standardWebhooksKey(options.secret),
        `${options.id}.${timestamp}.${body}`,
      ).digest('base64');
      return {
        headers: {
          ...json,
          'webhook-id': options.id,
          'webhook-timestamp': timestamp,
          'webhook-signature': `v1,${signature}`,
        },
        body,
      };
    }
    case 'stripe': {
      const timestamp = options.timestamp ?? now();
      const signature = hmac(options.secret, `${timestamp}.${body}`).digest('hex');
      return { headers: { ...json, 'Stripe-Signature': `t=${timestamp},v1=${signature}` }, body };
    }
    case 'github':
      return {
        headers: {
          ...json,
          'User-Agent': 'GitHub-Hookshot/baton-sandbox',
          'X-GitHub-Event': options.type,
          'X-GitHub-Delivery': options.id,
          'X-Hub-Signature-256': `sha256=${hmac(options.secret, body).digest('hex')}`,
        },
        body,
      };
    case 'shopify':
      return {
        headers: {
          ...json,
          'X-Shopify-Topic': options.type,
          'X-Shopify-Webhook-Id': options.id,
          'X-Shopify-Shop-Domain': options.shopDomain ?? 'baton-sandbox.myshopify.com',
          'X-Shopify-API-Version': '2024-10',
          'X-Shopify-Triggered-At': new Date((options.timestamp ?? now()) * 1000).toISOString(),
          'X-Shopify-Hmac-Sha256': hmac(options.secret, body).digest('base64'),
        },
        body,
      };
    case 'hmac-sha256': {
      const digest = hmac(options.secret, body).digest(options.encoding ?? 'hex');
      return {
        headers: {
          ...json,
          [options.header ?? 'X-Signature']: `${options.prefix ?? ''}${digest}`,
          ...(options.idHeader ? { [options.idHeader]: options.id } : {}),
          ...(options.typeHeader ? { [options.typeHeader]: options.type } : {}),
        },
        body,
      };
    }
    default:
      throw new TypeError(
        `signWebhook: unknown scheme "${String(options.scheme)}"; use one of ${WEBHOOK_SCHEMES.join(', ')}`,
      );
  }
}

/** Standard Webhooks keys are base64, written `whsec_<base64>`. */
function standardWebhooksKey(secret: string): Buffer {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
    throw new TypeError('signWebhook: a standard-webhooks secret must be base64, written whsec_<base64>');
  }
  return Buffer.from(encoded, 'base64');
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}
