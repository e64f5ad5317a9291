/** Request parameters as Stripe reads them: nested objects of strings (forms) or JSON values. */
export type StripeParams = Record<string, unknown>;

/** What the Stripe sandbox's middleware leaves on the context for its routes. */
export interface StripeEnv {
  Variables: {
    /** The `Request-Id` answered, which events this request causes name. */
    requestId: string;
    /** The secret key the request authenticated with. */
    apiKey: string;
    /** Idempotency keys are scoped to this: the key plus the `Stripe-Account` header. */
    account: string;
    /** The parsed form or JSON body (query for GET). */
    params: StripeParams;
    /**
     * Set once a route has validated its parameters and starts changing
     * state. Stripe saves an idempotent result only from that point on.
     */
    executing: boolean;
  };
}
