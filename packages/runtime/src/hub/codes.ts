/**
 * Codes of the errors that stop a hub from loading (`loadHub`,
 * `loadConfigFile`), besides the diagnostics of `DIAGNOSTIC_CODES` they
 * carry. The troubleshooting guide is checked against this list.
 */
export const HUB_ERROR_CODES = {
  HUB_INVALID:
    'The config or a flow has diagnostics, so the hub refuses to start; the message lists each one as baton validate does.',
  CONFIG_NOT_FOUND: 'The baton.config.json given does not exist.',
  CONFIG_READ_FAILED: 'The baton.config.json given exists but cannot be read (permissions, a folder).',
  SOURCE_SECRET_MISSING: 'A source has neither verify.secret nor verify.secrets; webhooks would be refused.',
} as const;
