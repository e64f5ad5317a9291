type FormValue = string | number | boolean;

/** The request body and its default content type, from the one body field a step gave. */
export function encodeBody(input: {
  body?: string | undefined;
  json?: unknown;
  form?: Record<string, FormValue> | undefined;
}): { data?: string; contentType?: string } {
  if (input.json !== undefined) return { data: JSON.stringify(input.json), contentType: 'application/json' };
  if (input.form !== undefined) {
    const form = new URLSearchParams(
      Object.entries(input.form).map(([k, v]): [string, string] => [k, String(v)]),
    );
    return { data: form.toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  if (input.body !== undefined) return { data: input.body, contentType: 'text/plain; charset=utf-8' };
  return {};
}

/** Query parameters, with arrays as repeated keys (`tag=a&tag=b`). */
export function encodeQuery(query: Record<string, FormValue | FormValue[]> | undefined): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  return params;
}

/**
 * Response headers as lower-case names and string values. `set-cookie` is
 * left out: cookies are credentials and the output lands in run records.
 */
export function responseHeaders(headers: object | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const key = name.toLowerCase();
    if (key === 'set-cookie' || value === undefined || value === null) continue;
    out[key] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

/** The body as JSON when the server says it is JSON, as text otherwise; null when empty. */
export function decodeBody(text: unknown, contentType: string | undefined): unknown {
  if (typeof text !== 'string' || text === '') return null;
  if (contentType && /[/+]json\b/i.test(contentType)) {
    try {
      return JSON.parse(text);
    } catch {
      // A server that mislabels its body: hand over what it sent.
      return text;
    }
  }
  return text;
}
