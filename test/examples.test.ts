import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  compileFlow,
  configSchema,
  type Flow,
  flowSchema,
  formatDiagnostic,
  validateHub,
} from '@baton/runtime';
import { importConnector } from '@baton/runtime/internal';
import type { Connector } from '@baton/sdk';
import { createConnectorInstance } from '@baton/sdk/host';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  EXAMPLE_SANDBOX_URL,
  envNames,
  exampleConfigJson,
  exampleEnv,
  exampleFlowFiles,
  examplesDir,
} from './helpers/examples';

/** Workspace connectors load from their TypeScript sources, as in every test. */
const conditions = ['@baton/source'];

let config: ReturnType<typeof configSchema.parse>;
let connectors: Map<string, Connector>;

beforeAll(async () => {
  config = configSchema.parse(await exampleConfigJson());
  connectors = new Map();
  for (const [name, instance] of Object.entries(config.connectors ?? {})) {
    connectors.set(name, await importConnector(instance.use, examplesDir, { conditions }));
  }
});

/** Every action a flow calls: steps, their fallbacks and compensations, and onFailure steps. */
function actionsOf(flow: Flow): Array<{ where: string; action: string }> {
  const found: Array<{ where: string; action: string }> = [];
  for (const step of flow.steps) {
    if (!('action' in step)) continue;
    found.push({ where: step.id, action: step.action });
    for (const [i, route] of (step.fallback ?? []).entries()) {
      found.push({ where: `${step.id}.fallback[${i}]`, action: route.action });
    }
    if (step.compensate) found.push({ where: `${step.id}.compensate`, action: step.compensate.action });
  }
  for (const step of flow.onFailure ?? []) found.push({ where: `onFailure ${step.id}`, action: step.action });
  return found;
}

describe('examples/baton.config.json', () => {
  it('matches the config schema and names the published JSON Schema', async () => {
    const raw = await exampleConfigJson();
    expect(configSchema.safeParse(raw).error).toBeUndefined();
    expect(raw.$schema).toBe('./node_modules/@baton/runtime/schemas/config.schema.json');
  });

  it('wires every first-party connector to the sandbox, on loopback only', async () => {
    const uses = Object.values(config.connectors ?? {}).map((c) => c.use);
    const manifest = JSON.parse(await readFile(join(examplesDir, 'package.json'), 'utf8'));
    const firstParty = Object.keys(manifest.dependencies).filter((d) => d.startsWith('@baton/connector-'));
    expect(new Set(uses)).toEqual(new Set(firstParty));
    for (const [name, instance] of Object.entries(config.connectors ?? {})) {
      expect(instance.egress?.allow, name).toEqual(['loopback']);
      const urls = JSON.stringify(instance.config).match(/https?:\/\/[^"]+/g) ?? [];
      for (const url of urls) expect(url.startsWith(`${EXAMPLE_SANDBOX_URL}/`), `${name}: ${url}`).toBe(true);
    }
    expect(config.connectors?.['carrier-a']?.use).toBe('@baton/connector-easypost');
    expect(config.connectors?.['carrier-b']?.use).toBe('@baton/connector-shippo');
  });

  it('gives every connector instance a config its connector accepts, with .env.example values', async () => {
    const env = await exampleEnv();
    const resolve = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(resolve);
      if (value === null || typeof value !== 'object') return value;
      const name = (value as { $env?: string }).$env;
      if (name !== undefined) return env[name];
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    };
    for (const [name, instance] of Object.entries(config.connectors ?? {})) {
      expect(() =>
        createConnectorInstance(connectors.get(name)!, resolve(instance.config), { name }),
      ).not.toThrow();
    }
  });

  it('reads every secret from the environment, each with a dev value in .env.example and a line in the README', async () => {
    const env = await exampleEnv();
    const readme = await readFile(join(examplesDir, 'README.md'), 'utf8');
    const names = envNames(await exampleConfigJson());
    expect(names.size).toBeGreaterThan(10);
    for (const name of names) {
      expect(env[name], `${name} in .env.example`).toBeTruthy();
      expect(readme, `${name} in README.md`).toContain(name);
    }
    for (const source of Object.values(config.sources ?? {})) {
      expect(source.verify.secret).toHaveProperty('$env');
    }
  });

  it('passes baton validate with the .env.example environment', async () => {
    const result = await validateHub({
      configPath: join(examplesDir, 'baton.config.json'),
      env: await exampleEnv(),
      conditions,
    });
    expect(result.diagnostics.map((d) => formatDiagnostic(d, { cwd: examplesDir }))).toEqual([]);
    expect(result.flows.map((f) => f.flow?.id).sort()).toEqual([
      'daily-report',
      'disaster-recovery',
      'employee-onboarding',
      'nightly-backup',
      'order-fulfillment',
      'password-reset',
      'privileged-onboarding',
      'software-update',
      'store-order-fulfillment',
      'traffic-surge',
    ]);
  });
});

describe('examples/flows', () => {
  it('holds the ten example flows', async () => {
    expect((await exampleFlowFiles()).map((f) => f.file)).toEqual([
      'daily-report.json',
      'disaster-recovery.json',
      'employee-onboarding.json',
      'nightly-backup.json',
      'order-fulfillment.json',
      'password-reset.json',
      'privileged-onboarding.json',
      'software-update.json',
      'store-order-fulfillment.json',
      'traffic-surge.json',
    ]);
  });

  it('parse with the flow schema, compile, and are named after their files', async () => {
    for (const { file, json } of await exampleFlowFiles()) {
      const parsed = flowSchema.safeParse(json);
      expect(parsed.error, file).toBeUndefined();
      expect(json.$schema, file).toBe('../node_modules/@baton/runtime/schemas/flow.schema.json');
      expect(`${parsed.data!.id}.json`).toBe(file);
      expect(() => compileFlow(parsed.data!), file).not.toThrow();
    }
  });

  it('call only actions that exist in the connector packages', async () => {
    const seen = new Set<string>();
    for (const { file, json } of await exampleFlowFiles()) {
      const flow = flowSchema.parse(json);
      for (const { where, action } of actionsOf(flow)) {
        const [instance, name] = action.split('.') as [string, string];
        const connector = connectors.get(instance);
        expect(connector, `${file} ${where}: no connector instance "${instance}"`).toBeDefined();
        expect(Object.keys(connector!.actions), `${file} ${where}: ${action}`).toContain(name);
        seen.add(instance);
      }
    }
    // Every instance in the config is used by some example.
    expect([...seen].sort()).toEqual([...connectors.keys()].sort());
  });

  it('are triggered by sources of the config, or by schedules', async () => {
    for (const { file, json } of await exampleFlowFiles()) {
      const { trigger } = flowSchema.parse(json);
      if (trigger && 'source' in trigger)
        expect(Object.keys(config.sources ?? {}), file).toContain(trigger.source);
    }
  });
});
