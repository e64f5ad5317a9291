import { readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Connector } from '@baton/sdk';
import { type ConnectorManifest, connectorManifest } from '@baton/sdk/host';
import { loadConfigFile } from '../config/load-config';
import { connectorInstanceSchema, type HubConfig } from '../config/schema';
import { connectorPackageOf, importConnector } from '../connectors/import-connector';
import { type Diagnostic, sortDiagnostics } from '../diagnostics/diagnostic';
import { loadFlowFile } from '../flow/load-flow';
import type { Flow } from '../flow/schema';
import type { JsonDocument } from '../json/json-document';
import { checkConfig } from './check-config';
import { egressWarnings } from './check-egress';
import { waitWarnings } from './check-waits';
import { flowParts } from './flow-parts';
import { flowFileDiagnostics } from './validate-flow';

/** Options of `validateHub`. */
export interface ValidateHubOptions {
  /** Path to baton.config.json. */
  configPath: string;
  /** Flow files to check. @default every `*.json` file in the config's `flows` folder */
  flowPaths?: readonly string[];
  /**
   * The environment `{ "$env": "NAME" }` values are checked against, for
   * start-up. `baton validate` leaves it out: it runs where secrets are
   * often absent. @default not checked
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Extra export conditions to resolve connector packages with (see `importConnector`). @default [] */
  conditions?: readonly string[];
}

/** One checked flow file. */
export interface FlowReport {
  file: string;
  /** The flow, when the file matches the flow schema (it may still have other diagnostics). */
  flow: Flow | undefined;
  diagnostics: Diagnostic[];
  /** What will likely not work, though the file is valid (see `Diagnostic.severity`). */
  warnings: Diagnostic[];
}

/** Everything `validateHub` found. */
export interface HubValidation {
  /** Every diagnostic: the config's, then each flow's, each file in reading order. */
  diagnostics: Diagnostic[];
  /** Every warning, the config's then the flows': they do not make the hub invalid. */
  warnings: Diagnostic[];
  /** The config, when baton.config.json matches the config schema. */
  config: HubConfig | undefined;
  /** The config file's own diagnostics. */
  configDiagnostics: Diagnostic[];
  flows: FlowReport[];
  /** The connectors that loaded, by instance name. Only their manifests were read. */
  connectors: Map<string, Connector>;
  /** Each loaded instance's connector package, `name@version`, when its module belongs to one. */
  connectorPackages: Map<string, string>;
}

/**
 * Checks a hub before it runs: baton.config.json against its schema, each
 * connector module (imported only to read its manifest; no action runs, no
 * network call), the literal connector configs, and every flow file with
 * all of `validateFlow`'s checks plus flow ids unique across files.
 *
 * Throws a `BatonError` with code `CONFIG_NOT_FOUND` when the config file
 * does not exist.
 *
 * @example
 * ```ts
 * const { diagnostics } = await validateHub({ configPath: 'baton.config.json' });
 * for (const d of diagnostics) console.log(formatDiagnostic(d, { cwd: process.cwd() }));
 * ```
 */
export async function validateHub(options: ValidateHubOptions): Promise<HubValidation> {
  const configPath = resolve(options.configPath);
  const baseDir = dirname(configPath);
  const loaded = await loadConfigFile(configPath);
  const raw = record(loaded.document.value);
  const configDiagnostics = [...loaded.diagnostics];

  const connectors = new Map<string, Connector>();
  const connectorPackages = new Map<string, string>();
  const catalog = new Map<string, ConnectorManifest | null>();
  for (const [name, entry] of Object.entries(record(raw.connectors))) {
    const instance = connectorInstanceSchema.safeParse(entry);
    catalog.set(name, null);
    if (!instance.success) continue;
    try {
      const connector = await importConnector(instance.data.use, baseDir, {
        conditions: options.conditions ?? [],
      });
      connectors.set(name, connector);
      catalog.set(name, connectorManifest(connector));
      const pkg = connectorPackageOf(instance.data.use, baseDir, options.conditions ?? []);
      if (pkg) connectorPackages.set(name, pkg);
    } catch (error) {
      configDiagnostics.push(
        loaded.document.diagnostic(
          'CONNECTOR_LOAD_FAILED',
          ['connectors', name, 'use'],
          `connector instance "${name}": ${(error as Error).message}`,
        ),
      );
    }
  }
  configDiagnostics.push(...checkConfig(loaded.document, catalog, options.env));

  const sources =
    raw.sources !== null && typeof raw.sources === 'object' ? new Set(Object.keys(raw.sources)) : undefined;
  const files = options.flowPaths
    ? options.flowPaths.map((p) => resolve(p))
    : await flowFiles(
        loaded.document,
        baseDir,
        typeof raw.flows === 'string' ? raw.flows : './flows',
        configDiagnostics,
      );

  const flows: FlowReport[] = [];
  const ids = new Map<string, string>();
  for (const file of files) {
    const flow = await loadFlowFile(file);
    const diagnostics = flowFileDiagnostics(flow, { connectors: catalog, ...(sources ? { sources } : {}) });
    const id = flow.document ? record(flow.document.value).id : undefined;
    if (typeof id === 'string' && flow.document) {
      const first = ids.get(id);
      if (first === undefined) ids.set(id, file);
      else {
        const text = `flow id "${id}" is also used by ${first}; flow ids must be unique in the hub`;
        diagnostics.push(flow.document.diagnostic('FLOW_DUPLICATE_ID', ['id'], text));
      }
    }
    const warnings = flow.document
      ? waitWarnings(flowParts(flow.document.value), sources, flow.document)
      : [];
    flows.push({ file, flow: flow.flow, diagnostics: sortDiagnostics(diagnostics), warnings });
  }

  const sortedConfig = sortDiagnostics(configDiagnostics);
  return {
    diagnostics: [...sortedConfig, ...flows.flatMap((f) => f.diagnostics)],
    warnings: [...egressWarnings(loaded.document), ...flows.flatMap((f) => f.warnings)],
    config: loaded.config,
    configDiagnostics: sortedConfig,
    flows,
    connectors,
    connectorPackages,
  };
}

async function flowFiles(
  document: JsonDocument,
  baseDir: string,
  folder: string,
  diagnostics: Diagnostic[],
): Promise<string[]> {
  const path = resolve(baseDir, folder);
  const isFolder = await stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isFolder) {
    diagnostics.push(
      document.diagnostic('CONFIG_FLOWS_NOT_FOUND', ['flows'], `the flows folder ${path} does not exist`),
    );
    return [];
  }
  const entries = await readdir(path, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => join(path, e.name))
    .sort();
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
