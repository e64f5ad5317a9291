import { errorDescriptions } from '@baton/sdk/host';

/**
 * Codes of the errors that stop a hub from loading (`loadHub`,
 * `loadConfigFile`), besides the diagnostics of `DIAGNOSTIC_CODES` they
 * carry: a view of `ERROR_CATALOG` in `@baton/sdk`, where each is described.
 */
export const HUB_ERROR_CODES = errorDescriptions([
  'HUB_INVALID',
  'CONFIG_NOT_FOUND',
  'CONFIG_READ_FAILED',
  'SOURCE_SECRET_MISSING',
]);
