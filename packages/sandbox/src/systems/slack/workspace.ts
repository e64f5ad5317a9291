/**
 * The emulated Slack workspace: a few channels, each with its own incoming
 * webhook, and the messages posted to them.
 */

/** A channel, as `conversations.info` would describe it (trimmed). */
export interface SlackChannel {
  id: string;
  name: string;
  isArchived: boolean;
  /** The `B…` segment of the incoming webhook bound to this channel. */
  hookId: string;
}

/** A message posted to a channel. */
export interface SlackMessage {
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown[];
  threadTs?: string;
  via: 'chat.postMessage' | 'incoming-webhook';
}

/** What the sandbox workspace starts with after every reset. */
export const SEEDED_CHANNELS: readonly SlackChannel[] = [
  { id: 'C0GENERAL', name: 'general', isArchived: false, hookId: 'B0GENERAL' },
  { id: 'C0OPS', name: 'ops', isArchived: false, hookId: 'B0OPS' },
  { id: 'C0ITONBOARD', name: 'it-onboarding', isArchived: false, hookId: 'B0ITONBOARD' },
  // Archived, so clients can see `is_archived` and `channel_is_archived`.
  { id: 'C0OLDNEWS', name: 'old-announcements', isArchived: true, hookId: 'B0OLDNEWS' },
];

/** Where incoming webhooks with an unknown `B…` segment post. */
export const DEFAULT_HOOK_CHANNEL = 'C0GENERAL';

export class SlackWorkspace {
  readonly messages: SlackMessage[] = [];
  private counter = 0;

  /** Finds a channel by id, by name, or by `#name`. */
  channel(ref: string): SlackChannel | undefined {
    const name = ref.startsWith('#') ? ref.slice(1) : ref;
    return SEEDED_CHANNELS.find((c) => c.id === ref || c.name === name);
  }

  /** The channel an incoming webhook is bound to. */
  channelOfHook(hookId: string | undefined): SlackChannel {
    const bound = SEEDED_CHANNELS.find((c) => c.hookId === hookId);
    return bound ?? this.channel(DEFAULT_HOOK_CHANNEL)!;
  }

  /** Stores a message and gives it a `ts`, unique and increasing like Slack's. */
  post(message: Omit<SlackMessage, 'ts'>): SlackMessage {
    this.counter += 1;
    const ts = `${Math.floor(Date.now() / 1000)}.${String(this.counter).padStart(6, '0')}`;
    const stored = { ...message, ts };
    this.messages.push(stored);
    return stored;
  }

  reset(): void {
    this.messages.length = 0;
    this.counter = 0;
  }
}
