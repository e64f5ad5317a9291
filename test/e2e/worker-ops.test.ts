import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Table } from 'mdast';
import { toString as textOf } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMarkdown } from '../docs/markdown';
import { freePort } from '../helpers/free-port';
import { deleteKeys, redisUrl, uniquePrefix } from '../helpers/redis';
import { reserveHub } from '../helpers/reserve-hub';
import { killChildren, spawnBuiltBaton } from '../helpers/spawn-baton';
import { until } from '../helpers/until';
import { repoRoot } from '../helpers/workspace';

/** The metric families of a Prometheus text (`# TYPE` lines), with their type. */
function families(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (match) found.set(match[1]!, match[2]!);
  }
  return found;
}

/** Every series name a query may use: the families, and their `_bucket`, `_sum` and `_count` series. */
function seriesNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const [name, type] of families(text)) {
    names.add(name);
    if (type === 'histogram') names.add(`${name}_bucket`);
    if (type === 'histogram' || type === 'summary') names.add(`${name}_sum`).add(`${name}_count`);
  }
  return names;
}

/** The value of the sample with these labels, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = text
    .split('\n')
    .find(
      (l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Every PromQL text of a Grafana dashboard: panel targets and template variable queries. */
function queriesOf(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) queriesOf(item, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if ((key === 'expr' || key === 'query' || key === 'definition') && typeof inner === 'string') {
        found.push(inner);
      } else queriesOf(inner, found);
    }
  }
  return found;
}

/**
 * `baton worker` is observable on its own port: it counts the steps it ran
 * (the gateway, which ran none, does not), answers `/healthz` and
 * `/readyz`, and refuses a port another worker holds. The docs' metrics
 * table and the Grafana dashboard name exactly what the two serve.
 */
describe('baton worker --port', () => {
  let folder: Awaited<ReturnType<typeof reserveHub>>;
  const prefix = uniquePrefix('ops');
  let env: NodeJS.ProcessEnv;
  let gatewayUrl: string;
  let opsUrl: string;
  let opsPort: number;
  let worker: ReturnType<typeof spawnBuiltBaton>;
  let gatewayMetrics: string;
  let workerMetrics: string;

  beforeAll(async () => {
    folder = await reserveHub(['stock', 'label']);
    const { REDIS_URL: _ignored, ...parent } = process.env;
    env = { ...parent, REDIS_URL: redisUrl, BATON_REDIS_PREFIX: prefix, BATON_API_TOKEN: '' };
    const serve = spawnBuiltBaton(['serve', '--port', '0', '--no-worker'], { cwd: folder.path, env });
    opsPort = await freePort();
    worker = spawnBuiltBaton(['worker', '--port', String(opsPort)], { cwd: folder.path, env });
    gatewayUrl = (await serve.waitFor(/Baton listening on (http:\/\/\S+)/))[1]!;
    opsUrl = (await worker.waitFor(/health and metrics: (http:\/\/\S+)\/healthz/))[1]!;
  });
  afterAll(async () => {
    killChildren();
    await deleteKeys(prefix);
    await folder?.remove();
  });

  it('counts the steps it ran on /metrics, and answers /healthz and /readyz', async () => {
    expect(opsUrl).toBe(`http://127.0.0.1:${opsPort}`);
    const runIds: string[] = [];
    for (const sku of ['A-1', 'A-2', 'A-3']) {
      const answer = await fetch(`${gatewayUrl}/api/flows/order/trigger`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data: { sku } }),
      });
      runIds.push(((await answer.json()) as { runId: string }).runId);
    }
    for (const id of runIds) {
      await until(async () => {
        const run = (await (await fetch(`${gatewayUrl}/api/runs/${id}`)).json()) as { status: string };
        return run.status === 'succeeded' ? run : undefined;
      }, `run ${id} succeeded`);
    }

    const health = await fetch(`${opsUrl}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(`${opsUrl}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([
      200,
      { status: 'ready', backend: 'redis', durable: true },
    ]);

    workerMetrics = await (await fetch(`${opsUrl}/metrics`)).text();
    gatewayMetrics = await (await fetch(`${gatewayUrl}/metrics`)).text();
    expect(sample(workerMetrics, 'baton_runs_finished_total', { flow: 'order', status: 'succeeded' })).toBe(
      3,
    );
    for (const step of ['stock', 'label']) {
      expect(
        sample(workerMetrics, 'baton_step_duration_seconds_count', {
          flow: 'order',
          step,
          status: 'succeeded',
        }),
      ).toBe(3);
    }
    expect(sample(workerMetrics, 'baton_breaker_state', { connector: 'shop' })).toBe(0);
    // Counted where the steps ran: the gateway ran none.
    expect(sample(gatewayMetrics, 'baton_runs_finished_total', { flow: 'order' })).toBeUndefined();
    // Read from the shared backend: the same from either process.
    expect(sample(gatewayMetrics, 'baton_runs', { status: 'succeeded' })).toBeGreaterThanOrEqual(3);
    expect(sample(workerMetrics, 'baton_runs', { status: 'succeeded' })).toBeGreaterThanOrEqual(3);
  });

  it('refuses a port another worker holds: PORT_IN_USE, exit 1, no stack', async () => {
    const second = spawnBuiltBaton(['worker', '--port', String(opsPort)], { cwd: folder.path, env });
    expect(await second.exited).toBe(1);
    const { stderr } = second.output();
    expect(stderr).toContain(
      `error PORT_IN_USE: 127.0.0.1:${opsPort} is already in use (another worker on this machine?); give each worker its own --port`,
    );
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('the Grafana dashboard queries only metrics a gateway or a worker serves', async () => {
    const dashboard: unknown = JSON.parse(
      await readFile(join(repoRoot, 'docs/operations/grafana-dashboard.json'), 'utf8'),
    );
    const served = new Set([...seriesNames(gatewayMetrics), ...seriesNames(workerMetrics)]);
    const queries = queriesOf(dashboard);
    const used = new Set(queries.flatMap((query) => query.match(/\bbaton_[a-zA-Z0-9_]+/g) ?? []));
    expect(queries.length).toBeGreaterThan(10);
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((name) => !served.has(name))).toEqual([]);
  });

  it('docs/operations.md lists in one table exactly the baton_* metrics served, and by which process', async () => {
    const page = await readMarkdown(join(repoRoot, 'docs/operations.md'));
    const tables: Table[] = [];
    visit(page.tree, 'table', (table: Table) => {
      if (textOf(table.children[0]!.children[0]!) === 'metric') tables.push(table);
    });
    expect(tables).toHaveLength(1);
    const header = tables[0]!.children[0]!.children.map((cell) => textOf(cell));
    const servedBy = header.indexOf('served by');
    const rows = tables[0]!.children.slice(1).map((row) => {
      const names: string[] = [];
      visit(row.children[0]!, 'inlineCode', (code: { value: string }) => {
        names.push(code.value.replace(/\{.*$/, ''));
      });
      return { names, byWorker: textOf(row.children[servedBy]!).includes('baton worker') };
    });
    const onGateway = [...families(gatewayMetrics).keys()];
    const onWorker = new Set(families(workerMetrics).keys());
    const served = [...new Set([...onGateway, ...onWorker])].filter((name) => name.startsWith('baton_'));
    const matches = (pattern: string, name: string) =>
      pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;

    // Every metric served is in the table; every name of the table is served.
    expect(served.filter((name) => !rows.some((row) => row.names.some((p) => matches(p, name))))).toEqual([]);
    const listed = rows.flatMap((row) => row.names.map((pattern) => ({ pattern, row })));
    expect(listed.filter(({ pattern }) => !served.some((name) => matches(pattern, name)))).toEqual([]);
    // The gateway serves them all; a worker those the table says it does.
    for (const { pattern, row } of listed) {
      const names = served.filter((name) => matches(pattern, name));
      expect(
        names.every((name) => onGateway.includes(name)),
        pattern,
      ).toBe(true);
      expect(
        names.map((name) => onWorker.has(name)),
        pattern,
      ).toEqual(names.map(() => row.byWorker));
    }
  });

  it('stops on SIGTERM, exit 0', async () => {
    worker.proc.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  });
});
