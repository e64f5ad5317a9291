import type { CardOutcome } from './test-cards';

/** The statuses a PaymentIntent moves through in the sandbox. */
export type PaymentIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'succeeded'
  | 'canceled';

/** A PaymentIntent, in the shape Stripe returns it. */
export interface PaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  capture_method: 'automatic';
  client_secret: string;
  confirmation_method: 'automatic';
  created: number;
  currency: string;
  customer: string | null;
  description: string | null;
  last_payment_error: Record<string, unknown> | null;
  latest_charge: string | null;
  livemode: false;
  metadata: Record<string, string>;
  next_action: Record<string, unknown> | null;
  payment_method: string | null;
  payment_method_types: string[];
  receipt_email: string | null;
  status: PaymentIntentStatus;
}

/** A PaymentMethod of type card. */
export interface PaymentMethod {
  id: string;
  object: 'payment_method';
  type: 'card';
  card: {
    brand: string;
    last4: string;
    exp_month: number;
    exp_year: number;
    funding: string;
    country: 'US';
  };
  created: number;
  customer: string | null;
  livemode: false;
  metadata: Record<string, string>;
}

/** A charge: one attempt to move money for a PaymentIntent. */
export interface Charge {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  captured: boolean;
  created: number;
  currency: string;
  failure_code: string | null;
  failure_message: string | null;
  livemode: false;
  metadata: Record<string, string>;
  paid: boolean;
  payment_intent: string;
  payment_method: string;
  refunded: boolean;
  status: 'succeeded' | 'failed';
}

/** A refund of (part of) a charge. */
export interface Refund {
  id: string;
  object: 'refund';
  amount: number;
  charge: string;
  created: number;
  currency: string;
  metadata: Record<string, string>;
  payment_intent: string;
  reason: string | null;
  status: 'succeeded';
}

/** A response saved under an idempotency key, or the marker of one still running. */
export type SavedResponse =
  | { state: 'running'; endpoint: string; fingerprint: string }
  | {
      state: 'done';
      endpoint: string;
      fingerprint: string;
      status: number;
      body: string;
      requestId: string;
    };

/** Everything the Stripe sandbox knows; forgotten on reset. */
export class StripeStore {
  readonly intents = new Map<string, PaymentIntent>();
  readonly paymentMethods = new Map<string, PaymentMethod>();
  /** What charging each PaymentMethod does, by its id. */
  readonly outcomes = new Map<string, CardOutcome>();
  readonly charges = new Map<string, Charge>();
  readonly refunds = new Map<string, Refund>();
  /** Saved responses by `<account>\n<idempotency key>`. */
  readonly idempotency = new Map<string, SavedResponse>();

  reset(): void {
    this.intents.clear();
    this.paymentMethods.clear();
    this.outcomes.clear();
    this.charges.clear();
    this.refunds.clear();
    this.idempotency.clear();
  }

  /** How much of a charge may still be refunded. */
  refundable(charge: Charge): number {
    return charge.amount_captured - charge.amount_refunded;
  }
}
