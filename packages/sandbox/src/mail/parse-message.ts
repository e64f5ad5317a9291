import { type AddressObject, type EmailAddress, simpleParser } from 'mailparser';
import type { MailboxMessage } from './mailbox';

/** What a raw message says about itself; the server adds the envelope and when it arrived. */
export type ParsedContent = Pick<
  MailboxMessage,
  'messageId' | 'from' | 'to' | 'cc' | 'replyTo' | 'subject' | 'text' | 'html' | 'headers'
>;

/**
 * Parses a raw RFC 5322 message (MIME parts, encoded words, transfer
 * encodings) into the fields the mailbox API shows. Attachments are not
 * kept: the mailbox is for reading what a flow sent, not for storing files.
 */
export async function parseMessage(raw: Buffer): Promise<ParsedContent> {
  const mail = await simpleParser(raw, {
    skipHtmlToText: true,
    skipImageLinks: true,
    skipTextToHtml: true,
  });
  return {
    messageId: mail.messageId ?? null,
    from: addresses(mail.from)[0] ?? null,
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    replyTo: addresses(mail.replyTo),
    subject: mail.subject ?? '',
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : null,
    headers: headerValues(mail.headerLines),
  };
}

function addresses(header: AddressObject | AddressObject[] | undefined): string[] {
  const objects = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return objects.flatMap((object) => object.value.flatMap(flatten));
}

/** A group (`Team: a@x, b@x;`) stands for its members. */
function flatten(entry: EmailAddress): string[] {
  if (entry.group) return entry.group.flatMap(flatten);
  return entry.address ? [entry.address] : [];
}

/** Header lines arrive as `Name: value`, possibly folded; keep the unfolded value by lower-cased name. */
function headerValues(lines: ReadonlyArray<{ key: string; line: string }>): Record<string, string> {
  // A Map, so a header named `__proto__` is a header like any other.
  const headers = new Map<string, string>();
  for (const { key, line } of lines) {
    const value = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    const earlier = headers.get(key);
    headers.set(key, earlier === undefined ? value : `${earlier}\n${value}`);
  }
  return Object.fromEntries(headers);
}
