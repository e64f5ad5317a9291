import { CliError } from './cli-error';
import { parseServerUrl } from './options';

/** Where the admin API is, and the token it wants (BATON_API_TOKEN, when set). */
export interface AdminApi {
  url: string;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Calls the admin API of a running hub (`baton serve`): JSON in, JSON out,
 * with the bearer token from BATON_API_TOKEN when it is set. A refusal is a
 * CliError API_REFUSED carrying the API's own code and message.
 */
export async function callAdminApi(
  api: AdminApi,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<unknown> {
  const base = parseServerUrl(api.url).href.replace(/\/$/, '');
  const url = `${base}/api${path}`;
  const token = api.env.BATON_API_TOKEN;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    throw new CliError(
      'GATEWAY_UNREACHABLE',
      `cannot reach ${url}: ${cause?.message ?? (error as Error).message}`,
    );
  }
  const text = await response.text();
  let answer: unknown;
  try {
    answer = text === '' ? undefined : JSON.parse(text);
  } catch {
    answer = text;
  }
  if (!response.ok) {
    const error = (answer as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new CliError(
      'API_REFUSED',
      `${response.status} from ${url}: ${error?.message ?? text}${error?.code ? ` [${error.code}]` : ''}`,
    );
  }
  return answer;
}
