import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from './workspace';

/** The runnable example hub. */
export const examplesDir = join(repoRoot, 'examples');

/** Where the example config points every connector. */
export const EXAMPLE_SANDBOX_URL = 'http://127.0.0.1:4010';

/** The variables of examples/.env.example, as `baton serve` would see them after sourcing it. */
export async function exampleEnv(): Promise<Record<string, string>> {
  const text = await readFile(join(examplesDir, '.env.example'), 'utf8');
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) env[match[1]!] = match[2]!;
  }
  return env;
}

/** The example config, parsed as JSON (unchecked). */
export async function exampleConfigJson(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(examplesDir, 'baton.config.json'), 'utf8'));
}

/** Every example flow file, by file name, parsed as JSON (unchecked). */
export async function exampleFlowFiles(): Promise<Array<{ file: string; json: Record<string, unknown> }>> {
  const folder = join(examplesDir, 'flows');
  const files = (await readdir(folder)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (file) => ({ file, json: JSON.parse(await readFile(join(folder, file), 'utf8')) })),
  );
}

/**
 * The data of an example event: what `baton send SOURCE --type T --data
 * examples/events/<name>.json` signs and posts, and what `baton run FLOW
 * --event …` runs the flow with.
 */
export async function exampleEventData(name: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(examplesDir, 'events', `${name}.json`), 'utf8'));
}

/** Every `{ "$env": NAME }` in a value, by name. */
export function envNames(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) envNames(item, out);
  else if (value !== null && typeof value === 'object') {
    const env = (value as { $env?: unknown }).$env;
    if (typeof env === 'string') out.add(env);
    else for (const item of Object.values(value)) envNames(item, out);
  }
  return out;
}

/** Where the example config points the SMTP connector: the sandbox's default mail port. */
export const EXAMPLE_SMTP_PORT = 2525;

/**
 * A copy of the example hub pointed at a sandbox on another port, written
 * inside examples/ (so its connector packages resolve as they do for the
 * real config) and removed by `remove`. The mail instances follow the
 * sandbox's SMTP server, which tests start on a free port. With
 * `editFlow`, the flows are copied beside the config, each through it (a
 * test shortens a wait or a retry that way).
 */
export async function exampleHubAt(
  sandboxUrl: string,
  options: { editFlow?: (flow: Record<string, unknown>) => void } = {},
) {
  const dir = join(examplesDir, '.tmp', `hub-${process.pid}-${Date.now()}`);
  await mkdir(dir, { recursive: true });
  const repoint = (text: string) => text.split(EXAMPLE_SANDBOX_URL).join(sandboxUrl);
  const config = await exampleConfigJson();
  await repointMail(config, sandboxUrl);
  let flows = '../../flows';
  if (options.editFlow) {
    flows = './flows';
    await mkdir(join(dir, 'flows'));
    for (const { file, json } of await exampleFlowFiles()) {
      options.editFlow(json);
      await writeFile(join(dir, 'flows', file), JSON.stringify(json));
    }
  }
  const configPath = join(dir, 'baton.config.json');
  await writeFile(configPath, repoint(JSON.stringify({ ...config, flows }, null, 2)));
  const env = Object.fromEntries(Object.entries(await exampleEnv()).map(([k, v]) => [k, repoint(v)]));
  return { configPath, env, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Points the SMTP connector instances at the sandbox's mail server, asked
 * through `GET /mailbox` so that a sandbox run as a separate process works
 * too. A sandbox without one leaves them as they are.
 */
async function repointMail(config: Record<string, unknown>, sandboxUrl: string) {
  const res = await fetch(`${sandboxUrl}/mailbox`);
  if (!res.ok) throw new Error(`GET ${sandboxUrl}/mailbox answered ${res.status}`);
  const { smtp } = (await res.json()) as { smtp: { host: string; port: number } | null };
  if (!smtp) return;
  const instances = Object.values(config.connectors as Record<string, ExampleInstance>);
  for (const instance of instances) {
    if (instance.use !== '@baton/connector-smtp' || instance.config.port !== EXAMPLE_SMTP_PORT) continue;
    instance.config = { ...instance.config, host: smtp.host, port: smtp.port };
  }
}

interface ExampleInstance {
  use: string;
  config: Record<string, unknown>;
}
