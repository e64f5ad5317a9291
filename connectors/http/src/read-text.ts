import { NonRetryableError } from '@baton/sdk';

/**
 * Reads a response stream as UTF-8 text, giving up (and closing the
 * connection) as soon as it passes `maxBytes`: a body that large would
 * bloat the run record, and fetching it again would not make it smaller.
 */
export async function readText(stream: AsyncIterable<unknown> & { destroy?: () => void }, maxBytes: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > maxBytes) {
      stream.destroy?.();
      throw new NonRetryableError(`The response is larger than maxResponseBytes (${maxBytes} bytes)`, {
        code: 'RESPONSE_TOO_LARGE',
        details: { maxBytes },
      });
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Frees the connection behind an error response nobody will read. */
export function discardStream(data: unknown): void {
  (data as { destroy?: () => void } | undefined)?.destroy?.();
}
