import { CliError } from './cli-error';

const DIGITS = /^\d+$/;

/**
 * Reads a `--port` value: digits only (no sign, no spaces, no `0x`, no
 * `1e3`, which `Number()` would take), from 0 (any free port) to 65535.
 * Anything else is `PORT_INVALID`, naming the flag and the value given.
 */
export function parsePort(text: string, flag = '--port'): number {
  const port = Number(text);
  if (!DIGITS.test(text) || port > 65_535) {
    throw new CliError('PORT_INVALID', `${flag} must be a number from 0 to 65535, got "${text}"`);
  }
  return port;
}

/**
 * Reads a whole-number option such as `--concurrency` or `--drain`: digits
 * only, at least `min`, at most `max`. Anything else is `OPTION_INVALID`.
 */
export function parseWholeNumber(
  text: string,
  flag: string,
  { min = 0, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {},
): number {
  const value = Number(text);
  if (!DIGITS.test(text) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    throw new CliError('OPTION_INVALID', `${flag} must be a whole number ${range}, got "${text}"`);
  }
  return value;
}

/**
 * Reads a `--url` that names a server to talk to: an absolute `http:` or
 * `https:` URL without credentials (they would be sent on every request and
 * show in error messages). Anything else is `OPTION_INVALID`.
 */
export function parseServerUrl(text: string, flag = '--url'): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError('OPTION_INVALID', `${flag} must be an http:// or https:// URL, got "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError('OPTION_INVALID', `${flag} must be an http:// or https:// URL, got "${text}"`);
  }
  if (url.username || url.password) {
    throw new CliError('OPTION_INVALID', `${flag} must not carry a user name or password`);
  }
  return url;
}
