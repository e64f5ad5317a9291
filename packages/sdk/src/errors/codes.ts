import { SDK_CATALOG } from './catalog/sdk';

/**
 * The codes the SDK itself produces, with what they mean: a view of the
 * SDK's part of `ERROR_CATALOG`, kept for callers of the older table.
 */
export const SDK_ERROR_CODES = Object.fromEntries(
  Object.entries(SDK_CATALOG).map(([code, entry]) => [code, entry.description]),
) as { readonly [K in keyof typeof SDK_CATALOG]: string };
