/**
 * Checks a message body the way Slack does for both `chat.postMessage` and
 * incoming webhooks, and answers with Slack's own error strings.
 */

/** Slack truncates at 40,000 characters and refuses longer text. */
const MAX_TEXT = 40_000;
/** Slack accepts at most 50 blocks in one message. */
const MAX_BLOCKS = 50;

export type MessageCheck =
  | { ok: true; text: string; blocks?: unknown[] }
  | { ok: false; error: 'no_text' | 'msg_too_long' | 'invalid_blocks' };

/**
 * `blocks` may arrive as an array (JSON bodies) or as a JSON string (form
 * bodies, where Slack expects it URL-encoded).
 */
export function checkMessage(text: unknown, rawBlocks: unknown): MessageCheck {
  let blocks: unknown = rawBlocks;
  if (typeof blocks === 'string') {
    try {
      blocks = JSON.parse(blocks);
    } catch {
      return { ok: false, error: 'invalid_blocks' };
    }
  }
  if (blocks !== undefined && !validBlocks(blocks)) return { ok: false, error: 'invalid_blocks' };
  const body = typeof text === 'string' ? text : '';
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  if (body.trim() === '' && !hasBlocks) return { ok: false, error: 'no_text' };
  if (body.length > MAX_TEXT) return { ok: false, error: 'msg_too_long' };
  return hasBlocks ? { ok: true, text: body, blocks: blocks as unknown[] } : { ok: true, text: body };
}

function validBlocks(value: unknown): value is unknown[] {
  return (
    Array.isArray(value) &&
    value.length <= MAX_BLOCKS &&
    value.every(
      (block) =>
        typeof block === 'object' && block !== null && typeof (block as { type?: unknown }).type === 'string',
    )
  );
}

/** Reads a JSON or form body into plain fields; undefined when it cannot be read. */
export async function readFields(request: {
  header(name: string): string | undefined;
  text(): Promise<string>;
}): Promise<Record<string, unknown> | undefined> {
  const type = request.header('content-type') ?? '';
  const raw = await request.text();
  if (type.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
