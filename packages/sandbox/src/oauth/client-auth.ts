/** The credentials a client presented, and how. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  /** `basic` obliges a 401 to carry `WWW-Authenticate` (RFC 6749 §5.2). */
  via: 'basic' | 'body';
}

/**
 * Reads client authentication (RFC 6749 §2.3.1): HTTP Basic with the
 * form-encoded id and secret, or `client_id` and `client_secret` in the body.
 * A client that sends both must name the same client in each. Returns a
 * reason instead when the credentials are malformed or contradict each other,
 * and undefined when there are none.
 */
export function readClientCredentials(
  authorization: string | undefined,
  form: URLSearchParams,
): ClientCredentials | { malformed: string } | undefined {
  const fromBody = form.has('client_id')
    ? { clientId: form.get('client_id')!, clientSecret: form.get('client_secret') ?? '' }
    : undefined;
  if (!authorization) return fromBody ? { ...fromBody, via: 'body' } : undefined;
  const match = /^Basic\s+(\S+)$/i.exec(authorization);
  if (!match)
    return { malformed: 'Only HTTP Basic client authentication is supported in the Authorization header' };
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { malformed: 'The Basic credentials are not of the form id:secret' };
  const fromHeader = {
    clientId: formDecode(decoded.slice(0, colon)),
    clientSecret: formDecode(decoded.slice(colon + 1)),
  };
  if (fromBody && fromBody.clientId !== fromHeader.clientId) {
    return { malformed: 'client_id in the body names another client than the Authorization header' };
  }
  return { ...fromHeader, via: 'basic' };
}

/** `application/x-www-form-urlencoded` decoding, which is what RFC 6749 §2.3.1 applies to Basic credentials. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return value;
  }
}
