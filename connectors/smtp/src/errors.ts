import { NonRetryableError, RetryableError, TimeoutError } from '@baton/sdk';

/** What nodemailer puts on the errors it rejects with (see its `NodemailerError`). */
interface SmtpFailure extends Error {
  code?: string;
  /** The SMTP reply code, when the server answered. */
  responseCode?: number;
  /** The server's reply line, such as `550 5.1.1 <x@example.com>: mailbox unavailable`. */
  response?: string;
  /** The command that was answered, such as `RCPT TO` or `DATA`. */
  command?: string;
  /** Set with `responseCode`: true for a 5xx other than 503. */
  permanent?: boolean;
  /** The socket's own code (`ECONNREFUSED`) under nodemailer's (`ESOCKET`). */
  originalCode?: string;
  timeoutType?: string;
}

/** nodemailer's codes for a connection that failed or broke before the server could answer. */
const CONNECTION_CODES = new Set(['ECONNECTION', 'ESOCKET', 'EDNS', 'EPROXY']);

/** A server's reply is short, but a misbehaving one could answer anything: keep a line of it. */
const MAX_REPLY = 300;

/**
 * Turns a failed send into an error that says whether trying again can
 * help, following the reply classes of RFC 5321: 4xx is "try later", 5xx
 * (but 503) is "never". Credentials refused and a server that wants them
 * are `SMTP_AUTH_FAILED`; no connection or a broken one is `NETWORK_ERROR`,
 * no answer in time `TIMEOUT`, both retried. Anything else is left to the
 * SDK, which retries it as `UNEXPECTED_ERROR`.
 */
export function fromSmtpFailure(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const failure = error as SmtpFailure;
  const { responseCode } = failure;
  const details = {
    ...(responseCode !== undefined ? { responseCode } : {}),
    ...(failure.command ? { command: failure.command } : {}),
  };
  const said = reply(failure);

  const transient = responseCode !== undefined && !(failure.permanent ?? isPermanent(responseCode));
  if (failure.code === 'EAUTH' || failure.code === 'ENOAUTH' || responseCode === 530) {
    // 454 "temporary authentication failure": the credentials may be fine.
    if (transient) {
      return new RetryableError(`The mail server could not check the credentials now: ${said}`, {
        code: 'SMTP_TEMPORARY_FAILURE',
        cause: error,
        details,
      });
    }
    return new NonRetryableError(`The mail server refused the credentials: ${said}`, {
      code: 'SMTP_AUTH_FAILED',
      cause: error,
      details,
    });
  }
  if (failure.code === 'ETIMEDOUT') {
    return new TimeoutError(`The mail server did not answer in time (${failure.timeoutType ?? 'timeout'})`, {
      cause: error,
      details,
    });
  }
  if (responseCode !== undefined) {
    return transient
      ? new RetryableError(`The mail server deferred the message: ${said}`, {
          code: 'SMTP_TEMPORARY_FAILURE',
          cause: error,
          details,
        })
      : new NonRetryableError(`The mail server refused the message: ${said}`, {
          code: 'SMTP_REJECTED',
          cause: error,
          details,
        });
  }
  if (failure.code === 'ETLS') {
    return new NonRetryableError(`TLS with the mail server failed: ${error.message}`, {
      code: 'SMTP_TLS_FAILED',
      cause: error,
    });
  }
  if (failure.code && CONNECTION_CODES.has(failure.code)) {
    return new RetryableError(`No connection to the mail server: ${error.message}`, {
      code: 'NETWORK_ERROR',
      cause: error,
      details: { errno: failure.originalCode ?? failure.code },
    });
  }
  return error;
}

/** RFC 5321: 5yz is a permanent failure, except 503 (bad sequence), which a new session can pass. */
function isPermanent(code: number): boolean {
  return code >= 500 && code < 600 && code !== 503;
}

function reply(failure: SmtpFailure): string {
  const text = (failure.response ?? failure.message).replace(/\s+/g, ' ').trim();
  return text.length > MAX_REPLY ? `${text.slice(0, MAX_REPLY)}…` : text;
}
