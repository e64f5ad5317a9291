import { readFile } from 'node:fs/promises';
import { BatonError } from '@baton/sdk';
import type { Diagnostic } from '../diagnostics/diagnostic';
import { type JsonDocument, parseJsonDocument } from '../json/json-document';
import { schemaDiagnostics } from '../json/schema-issues';
import { configSchema, type HubConfig } from './schema';

/** `baton.config.json` read with positions. */
export interface LoadedConfig {
  file: string;
  document: JsonDocument;
  /** The config, when the file is JSON and matches the config schema. */
  config: HubConfig | undefined;
  /** JSON syntax and schema errors, every one of them. */
  diagnostics: Diagnostic[];
}

/**
 * Reads `baton.config.json` and checks it against the config schema.
 * Throws a `BatonError` with code `CONFIG_NOT_FOUND` when the file does not
 * exist and `CONFIG_READ_FAILED` when it cannot be read; everything wrong
 * inside it comes back as diagnostics.
 */
export async function loadConfigFile(file: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new BatonError(
      missing ? `${file} does not exist` : `cannot read ${file}: ${(error as Error).message}`,
      { code: missing ? 'CONFIG_NOT_FOUND' : 'CONFIG_READ_FAILED', cause: error },
    );
  }
  return parseConfig(text, file);
}

/** `loadConfigFile` for text already in memory; `file` is used in diagnostics. */
export function parseConfig(text: string, file: string): LoadedConfig {
  const { document, diagnostics } = parseJsonDocument(text, file, {
    syntax: 'CONFIG_JSON_SYNTAX',
    duplicateKey: 'CONFIG_DUPLICATE_KEY',
  });
  if (document.value === undefined) return { file, document, config: undefined, diagnostics };
  const parsed = configSchema.safeParse(document.value);
  if (parsed.success) return { file, document, config: parsed.data, diagnostics };
  return {
    file,
    document,
    config: undefined,
    diagnostics: [
      ...diagnostics,
      ...schemaDiagnostics(document, configSchema, parsed.error.issues, 'CONFIG_SCHEMA'),
    ],
  };
}
