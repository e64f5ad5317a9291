/**
 * The sandbox's one mailbox: every message the mail server accepted, for
 * whatever recipient, in the order they arrived. It belongs to the sandbox's
 * state (`mailboxOf(state)`), because two servers share it: the SMTP server
 * writes, the HTTP API reads.
 */
import type { SandboxState } from '../state';

/** One message as the mail server received and parsed it. */
export interface MailboxMessage {
  /** The sandbox's id for it (`msg_1`, `msg_2` …), for `GET /mailbox/messages/:id`. */
  id: string;
  /** The `Message-ID` header, with its angle brackets; null when the sender gave none. */
  messageId: string | null;
  /** The address in the `From` header (its display name is in `headers.from`). */
  from: string | null;
  /** The addresses in the `To` header. */
  to: string[];
  /** The addresses in the `Cc` header. */
  cc: string[];
  /** The addresses in the `Reply-To` header. */
  replyTo: string[];
  subject: string;
  /** The plain-text part ('' when the message has none). */
  text: string;
  /** The HTML part, or null. */
  html: string | null;
  /** Every header by lower-cased name, as sent; a repeated header's values are joined by newlines. */
  headers: Record<string, string>;
  /** The SMTP envelope: `MAIL FROM` and every `RCPT TO` (Bcc recipients are only here). */
  envelope: { from: string | null; to: string[] };
  /** The user name the client authenticated with, or null. */
  authUser: string | null;
  /** Size of the raw message in bytes. */
  size: number;
  /** When the server accepted it (ISO 8601). */
  receivedAt: string;
}

/** Where the mail server listens, once it does. */
export interface SmtpAddress {
  host: string;
  port: number;
  /** `smtp://127.0.0.1:2525` */
  url: string;
}

export class Mailbox {
  readonly messages: MailboxMessage[] = [];
  /** Set by the mail server when it listens; null when none runs (`createSandboxApp` alone). */
  smtp: SmtpAddress | null = null;
  private counter = 0;
  /** Sender and recipient pairs greylisted once already (see test-addresses.ts). */
  private readonly greylisted = new Set<string>();

  /** Stores a received message and gives it its id. */
  deliver(message: Omit<MailboxMessage, 'id'>): MailboxMessage {
    this.counter += 1;
    const stored = { id: `msg_${this.counter}`, ...message };
    this.messages.push(stored);
    return stored;
  }

  find(id: string): MailboxMessage | undefined {
    return this.messages.find((m) => m.id === id);
  }

  /** True the first time a pair is seen since the last reset, as a greylisting server defers it. */
  firstAttempt(from: string, to: string): boolean {
    const pair = `${from.toLowerCase()} ${to.toLowerCase()}`;
    if (this.greylisted.has(pair)) return false;
    this.greylisted.add(pair);
    return true;
  }

  /** Empties the mailbox. Ids keep counting, so an id read before never names a later message. */
  clear(): void {
    this.messages.length = 0;
  }

  /** Forgets everything, the greylisting too; ids start again at `msg_1`. */
  reset(): void {
    this.clear();
    this.counter = 0;
    this.greylisted.clear();
  }
}

const mailboxes = new WeakMap<SandboxState, Mailbox>();

/** The mailbox of a sandbox's state: made on first use, emptied by every reset of the state. */
export function mailboxOf(state: SandboxState): Mailbox {
  const known = mailboxes.get(state);
  if (known) return known;
  const mailbox = new Mailbox();
  state.onReset(() => mailbox.reset());
  mailboxes.set(state, mailbox);
  return mailbox;
}
