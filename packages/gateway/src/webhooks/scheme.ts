import type { HeaderReader } from './request-headers';

/** What a signature scheme needs to check a request. */
export interface VerifyInput {
  /** Read by lower-cased header name. */
  headers: HeaderReader;
  /** The body exactly as received. */
  raw: Buffer;
  /** Every accepted secret (several while rotating). */
  secrets: readonly string[];
  /** Milliseconds a signed timestamp may be from now, either way. */
  toleranceMs: number;
  now: number;
}

/** What a verified request tells about its event. */
export interface VerifiedMeta {
  /** The sender's event id, when it is in the headers (else taken from the body later). */
  id?: string;
  /** The event type, when it is in the headers. */
  type?: string;
  /** When the sender says it happened. */
  time?: string;
}

/**
 * A signature scheme: checks the raw bytes against the source's secrets
 * (throwing a 401 GatewayError) and says what it can of the event; then
 * names the event id and type once the body is parsed.
 */
export interface SignatureScheme {
  verify(input: VerifyInput): VerifiedMeta;
  /** The event id and type, from the verified headers and the parsed body. */
  identify(
    meta: VerifiedMeta,
    body: unknown,
    raw: Buffer,
  ): { id?: string | undefined; type?: string | undefined; time?: string | undefined };
}
