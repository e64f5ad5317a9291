import type { ConnectorManifest } from '@baton/sdk/host';
import type { Diagnostic } from '../diagnostics/diagnostic';
import type { JsonDocument, JsonPath } from '../json/json-document';
import { checkLiterals, type Opacity } from './literal-check';

/**
 * Checks what the config schema cannot know: each instance's literal
 * `config` against its connector's config schema (`$env` values are
 * opaque), and, when an environment is given, that every `$env` variable
 * is set.
 */
export function checkConfig(
  document: JsonDocument,
  catalog: ReadonlyMap<string, ConnectorManifest | null>,
  env: Readonly<Record<string, string | undefined>> | undefined,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const connectors = record(record(document.value).connectors);
  for (const [name, manifest] of catalog) {
    if (!manifest) continue;
    const config = record(connectors[name]).config;
    const path: JsonPath = ['connectors', name, 'config'];
    for (const issue of checkLiterals(config, manifest.config, { opacity: envOpacity })) {
      const text =
        issue.kind === 'missing'
          ? `required by the ${manifest.name} connector`
          : `the ${manifest.name} connector ${issue.text}`;
      const target = issue.kind === 'unknown' ? 'key' : 'value';
      diagnostics.push(
        document.diagnostic('CONNECTOR_CONFIG_INVALID', [...path, ...issue.path], text, target),
      );
    }
  }
  if (env) {
    for (const { path, name } of envReferences(document.value, [])) {
      if (env[name] === undefined || env[name] === '') {
        diagnostics.push(
          document.diagnostic(
            'CONFIG_ENV_MISSING',
            [...path, '$env'],
            `environment variable ${name} is not set`,
          ),
        );
      }
    }
  }
  return diagnostics;
}

/** An `$env` reference is read at start-up: any value. */
function envOpacity(value: unknown): Opacity {
  return isEnvReference(value) ? 'any' : false;
}

function isEnvReference(value: unknown): value is { $env: string } {
  const r = record(value);
  return Object.keys(r).length === 1 && typeof r.$env === 'string';
}

function envReferences(value: unknown, path: JsonPath): Array<{ path: JsonPath; name: string }> {
  if (isEnvReference(value)) return [{ path, name: value.$env }];
  if (Array.isArray(value)) return value.flatMap((item, i) => envReferences(item, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, member]) => envReferences(member, [...path, key]));
  }
  return [];
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
