import { REDACTED, redactText, SECRET_KEY_PATTERN } from '../errors/redact';

/**
 * A URL safe to print: no user-info, secret-looking query values replaced,
 * and any known secret value replaced wherever it appears.
 */
export function redactUrl(url: string, secrets: Iterable<string> = []): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactText(url, secrets);
  }
  parsed.username = '';
  parsed.password = '';
  for (const key of [...parsed.searchParams.keys()]) {
    if (SECRET_KEY_PATTERN.test(key)) parsed.searchParams.set(key, REDACTED);
  }
  return redactText(parsed.toString(), secrets);
}
