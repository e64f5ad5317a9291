import { dirname, resolve } from 'node:path';
import { BatonError, type Connector } from '@baton/sdk';
import { type ConnectorInstance, createConnectorInstance } from '@baton/sdk/host';
import { type CompiledFlow, compileFlow } from '../compile/compile-flow';
import { resolveEnv } from '../config/resolve-env';
import type { HubConfig, SourceConfig } from '../config/schema';
import { type Diagnostic, formatDiagnostic } from '../diagnostics/diagnostic';
import { validateHub } from '../validate/validate-hub';
import { HubCredentials } from './hub-credentials';

export interface LoadHubOptions {
  /** Path to baton.config.json. */
  configPath: string;
  /** Where `{ "$env" }` values come from. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Flow files to load instead of the config's flows folder. */
  flowPaths?: readonly string[];
  /** Extra export conditions for resolving connector packages. @default [] */
  conditions?: readonly string[];
}

/** A source with its secrets read from the environment. */
export interface LoadedSource {
  name: string;
  config: SourceConfig;
  /** Every accepted secret (several while rotating). */
  secrets: string[];
}

/** Everything a running hub needs, checked and resolved. */
export interface Hub {
  configPath: string;
  baseDir: string;
  config: HubConfig;
  flows: CompiledFlow[];
  /** Flow file per flow id, for tools that point at files. */
  flowFiles: Map<string, string>;
  connectors: Map<string, Connector>;
  instances: Map<string, ConnectorInstance>;
  /**
   * Where the instances keep their OAuth2 tokens: this process until
   * `createHubEngine` binds it to the backend, shared by every worker then.
   */
  credentials: HubCredentials;
  sources: Map<string, LoadedSource>;
  /** Every secret value the hub holds: kept out of logs, records and answers. */
  secrets: string[];
  /** The export conditions connector packages were resolved with, for checking the hub again alike. */
  conditions: readonly string[];
  /** The environment `{ "$env" }` values were read from, for reloading the hub alike (`reloadHub`). */
  env: Readonly<Record<string, string | undefined>>;
}

/** Start-up refused: the config or a flow is invalid. Carries every diagnostic. */
export class HubLoadError extends BatonError {
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: Diagnostic[], cwd?: string) {
    const listed = diagnostics.map((d) => formatDiagnostic(d, cwd ? { cwd } : {})).join('\n  ');
    super(
      `the hub configuration is invalid (${diagnostics.length} error${diagnostics.length === 1 ? '' : 's'}):\n  ${listed}`,
      {
        code: 'HUB_INVALID',
      },
    );
    this.diagnostics = diagnostics;
  }
}

/**
 * Loads a hub for running: validates the config and every flow (all errors
 * at once, as `baton validate` shows them), reads secrets from the
 * environment, creates the connector instances with validated configs and
 * compiles the flows. Refuses to start on any problem.
 */
export async function loadHub(options: LoadHubOptions): Promise<Hub> {
  const configPath = resolve(options.configPath);
  const baseDir = dirname(configPath);
  const env = options.env ?? process.env;
  const validation = await validateHub({
    configPath,
    env,
    ...(options.flowPaths ? { flowPaths: options.flowPaths } : {}),
    ...(options.conditions ? { conditions: options.conditions } : {}),
  });
  if (validation.diagnostics.length > 0 || !validation.config) {
    throw new HubLoadError(validation.diagnostics, process.cwd());
  }
  const config = validation.config;
  const secrets = new Set<string>();

  const credentials = new HubCredentials();
  const instances = new Map<string, ConnectorInstance>();
  for (const [name, entry] of Object.entries(config.connectors ?? {})) {
    const connector = validation.connectors.get(name)!;
    const resolved = resolveEnv(entry.config ?? {}, env, `connectors.${name}.config`);
    for (const s of resolved.secrets) secrets.add(s);
    const instance = createConnectorInstance(connector, resolved.value, {
      name,
      secrets: resolved.secrets,
      credentials,
      ...(entry.egress ? { egress: entry.egress } : {}),
    });
    for (const s of instance.secrets) secrets.add(s);
    instances.set(name, instance);
  }

  const sources = new Map<string, LoadedSource>();
  for (const [name, source] of Object.entries(config.sources ?? {})) {
    const { secret, secrets: many } = source.verify;
    const listed = [...(secret !== undefined ? [secret] : []), ...(many ?? [])];
    if (listed.length === 0) {
      throw new BatonError(
        `source "${name}" has no secret: set verify.secret (webhooks are refused without one)`,
        {
          code: 'SOURCE_SECRET_MISSING',
        },
      );
    }
    const resolved = resolveEnv(listed, env, `sources.${name}.verify`);
    const values = (resolved.value as unknown[]).map(String);
    for (const s of values) secrets.add(s);
    sources.set(name, { name, config: source, secrets: values });
  }

  const flows: CompiledFlow[] = [];
  const flowFiles = new Map<string, string>();
  for (const report of validation.flows) {
    if (!report.flow) continue;
    const compiled = compileFlow(report.flow);
    const used = connectorPackagesOf(report.flow, validation.connectorPackages);
    flows.push(used ? { ...compiled, connectors: used } : compiled);
    flowFiles.set(report.flow.id, report.file);
  }
  return {
    configPath,
    baseDir,
    config,
    flows,
    flowFiles,
    connectors: validation.connectors,
    instances,
    credentials,
    sources,
    secrets: [...secrets],
    conditions: options.conditions ?? [],
    env,
  };
}

/** The connector packages of the instances a flow's actions name (steps, fallbacks, compensations, onFailure). */
function connectorPackagesOf(
  flow: unknown,
  packages: ReadonlyMap<string, string>,
): Record<string, string> | undefined {
  const used: Record<string, string> = {};
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'action' && typeof inner === 'string' && inner.includes('.')) {
          const instance = inner.slice(0, inner.indexOf('.'));
          const pkg = packages.get(instance);
          if (pkg) used[instance] = pkg;
        } else if (key !== 'input') visit(inner);
      }
    }
  };
  visit(flow);
  return Object.keys(used).length > 0 ? used : undefined;
}
