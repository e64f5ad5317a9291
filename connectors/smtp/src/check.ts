import type { CheckContext } from '@baton/sdk';
import type { SmtpConfig } from './config';
import { fromSmtpFailure } from './errors';
import { createMailer } from './transport';

/**
 * The credentials check: connect, greet (EHLO, and STARTTLS when offered),
 * log in with `auth` when the instance has it, and quit, sending nothing.
 * Refused credentials fail with `SMTP_AUTH_FAILED`, a server out of reach
 * with `NETWORK_ERROR`, one that does not answer with `TIMEOUT` (after the
 * config's `timeoutMs`, or sooner when the host aborts the check). Without
 * `auth` it checks that the server answers.
 */
export async function checkCredentials({ config }: CheckContext<SmtpConfig>): Promise<void> {
  const mailer = createMailer(config);
  try {
    await mailer.verify();
  } catch (error) {
    throw fromSmtpFailure(error);
  } finally {
    mailer.close();
  }
}
