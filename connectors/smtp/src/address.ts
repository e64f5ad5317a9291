import { z } from 'zod';

/** `local@domain`, without spaces, brackets, quotes or separators. */
const BARE = /^[^\s<>@",;]+@[^\s<>@",;.]+(?:\.[^\s<>@",;.]+)*$/;
/** `Display Name <local@domain>`; the name may be quoted, and never spans lines. */
const NAMED = /^[^<>\r\n]*<([^\s<>@",;]+@[^\s<>@",;.]+(?:\.[^\s<>@",;.]+)*)>$/;

/**
 * One mailbox as a header names it: `jane@example.com` or
 * `Jane Doe <jane@example.com>`. Line breaks are refused, so a value from an
 * event can never add a header of its own.
 */
export const mailbox = z
  .string()
  .trim()
  .max(998)
  .refine((value) => BARE.test(value) || NAMED.test(value), {
    error: 'must be an email address, such as "jane@example.com" or "Jane Doe <jane@example.com>"',
  });

/** One mailbox or a list of them. */
export const mailboxes = z.union([mailbox, z.array(mailbox).min(1).max(100)]);

/** The bare address of a mailbox: `jane@example.com` for `Jane Doe <jane@example.com>`. */
export function addressOf(value: string): string {
  return NAMED.exec(value)?.[1] ?? value;
}
