/**
 * A response body for assertions. Loosely typed by default on purpose:
 * tests check the shape with `expect`, they do not trust it.
 */
// biome-ignore lint/suspicious/noExplicitAny: asserted by the test, not trusted
export async function json<T = any>(response: Response | Promise<Response>): Promise<T> {
  return (await (await response).json()) as T;
}
