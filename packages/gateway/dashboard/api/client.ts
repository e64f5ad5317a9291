import { auth } from './auth';

/** An API answer that was not a 2xx, with the `{ error: { code, message } }` it carried. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/** The headers every API call carries: the token when there is one, and who acts, for the audit trail. */
export function apiHeaders(): Record<string, string> {
  const token = auth.token();
  return {
    accept: 'application/json',
    'x-baton-actor': 'dashboard',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
}

/**
 * Calls the admin API at `/api<path>`. A 401 marks the token as required
 * (the token dialog opens) and throws like any other error answer.
 */
export async function api<T>(
  path: string,
  init: { method?: 'GET' | 'POST'; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const response = await fetch(`/api${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...apiHeaders(),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  if (response.status === 401) auth.refused();
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ApiError(
      response.status,
      'BAD_ANSWER',
      `the API answered ${response.status} with a body that is not JSON`,
    );
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? `the API answered ${response.status}`,
    );
  }
  return body as T;
}
