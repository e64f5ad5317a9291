import type { CheckContext } from '@baton/sdk';
import type { SmtpConfig } from './config';
import { fromSmtpFailure } from './errors';
import { createMailer } from './transport';

/**
 * The credentials check: connect, greet (EHLO, and STARTTLS when offered),
 * log in with `auth` when the instance has it, and quit, sending nothing.
 * Refused credentials fail with `SMTP_AUTH_FAILED`, a server out of reach
 * with `NETWORK_ERROR`, one that does not answer with `TIMEOUT`. Without
 * `auth` it checks that the server answers.
 */
export async function checkCredentials({ config, signal }: CheckContext<SmtpConfig>): Promise<void> {
  const mailer = createMailer(config);
  try {
    await untilAborted(mailer.verify(), signal);
  } catch (error) {
    throw fromSmtpFailure(error);
  } finally {
    mailer.close();
  }
}

/** nodemailer's `verify` takes no signal: stop waiting for it when the check is aborted. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
