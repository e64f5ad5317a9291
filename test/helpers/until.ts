/**
 * Polls `check` until it gives a value (anything but undefined), and
 * returns it; throws naming `what` when `timeoutMs` passes first.
 */
export async function until<T>(
  check: () => Promise<T | undefined>,
  what: string,
  { timeoutMs = 30_000, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
