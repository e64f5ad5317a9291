import { createTransport } from 'nodemailer';
import type { SmtpConfig } from './config';

/**
 * A nodemailer SMTP transport for one send. Without a pool every message
 * opens its own connection and closes it, so nothing outlives the step: no
 * socket to clean up when a worker stops, and no state shared between runs.
 */
export function createMailer(config: SmtpConfig) {
  return createTransport({
    host: config.host,
    ...(config.port !== undefined ? { port: config.port } : {}),
    secure: config.secure,
    ...(config.auth ? { auth: { user: config.auth.user, pass: config.auth.pass } } : {}),
    connectionTimeout: config.timeoutMs,
    greetingTimeout: config.timeoutMs,
    socketTimeout: config.timeoutMs,
    // Message fields come from events: they must never make the worker read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  });
}
