import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '@baton/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeBlocks, readMarkdown } from '../docs/markdown';
import { exec, repoRoot, tempDir } from '../helpers/workspace';

/**
 * Baton outside the repository, as docs/getting-started.md (sections 6 to
 * 8) walks it: `pnpm pack:all` packs every publishable package; in a fresh
 * folder under the OS's temp folder, `baton init --packages` (with every
 * first-party connector, so each tarball installs and loads), `npm
 * install`, the hub's own npm scripts (validate, sandbox, serve, send, and
 * `baton run`) and the run succeeded; then `baton new connector
 * --packages`, its install, typecheck, build, tests and first version, and
 * that connector installed in the hub, in the flow the page shows, run
 * through the gateway. The JSON the page tells the reader to write is read
 * from the page itself. Packed once; one npm install per folder, the two
 * side by side.
 */

const cliBin = join(repoRoot, 'packages/cli/dist/bin.js');
const FIRST_PARTY = [
  'http',
  'slack',
  'bamboohr',
  'scim',
  'hubspot',
  'inventory',
  'stripe',
  'easypost',
  'shippo',
  'smtp',
];
// The hub's processes use the embedded backend: CI exports REDIS_URL, which would share its Redis.
const { REDIS_URL: _redis, ...parentEnv } = process.env;
const hubEnv: NodeJS.ProcessEnv = { ...parentEnv, BATON_API_TOKEN: '' };
const npm = (args: string[], cwd: string) =>
  exec('npm', args, { cwd, env: hubEnv, maxBuffer: 64 * 1024 * 1024 });
const npmInstall = (cwd: string, ...more: string[]) =>
  npm(['install', '--no-audit', '--no-fund', '--prefer-offline', ...more], cwd);
const baton = (args: string[], cwd: string) =>
  exec(process.execPath, [cliBin, ...args], { cwd, env: hubEnv });

/** `npm run <script> -- args` in its own process group, so stopping it stops npm's children too. */
function startScript(cwd: string, script: string, args: string[]) {
  const proc: ChildProcess = spawn('npm', ['run', script, '--', ...args], {
    cwd,
    env: hubEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((done) => proc.once('exit', () => done()));
  return {
    url: new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm run ${script}: no URL\n${out}`)), 60_000);
      proc.stdout!.on('data', () => {
        const match = /listening on (http:\/\/\S+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      void exited.then(() => reject(new Error(`npm run ${script} exited:\n${out}`)));
    }),
    output: () => out,
    async stop() {
      try {
        if (proc.exitCode === null && proc.signalCode === null) process.kill(-proc.pid!, 'SIGTERM');
      } catch {
        // The group ended between the check and the kill.
      }
      await exited;
    },
  };
}
type Script = ReturnType<typeof startScript>;

async function runEnded(gateway: string, sendOutput: string) {
  const runId = /"runId": "(run_\w+)"/.exec(sendOutput)?.[1];
  expect(runId, sendOutput).toBeDefined();
  let run: { status?: string; output?: unknown; error?: { code?: string } | null } = {};
  for (let i = 0; i < 200 && !['succeeded', 'failed'].includes(run.status ?? ''); i++) {
    await new Promise((r) => setTimeout(r, 50));
    run = (await (await fetch(`${gateway}/api/runs/${runId}`)).json()) as typeof run;
  }
  return run;
}

/** What the page tells the reader to write in section 8. */
async function fromTheDocs() {
  const page = await readMarkdown(join(repoRoot, 'docs/getting-started.md'));
  const blocks = codeBlocks(page);
  const json = blocks
    .filter((b) => b.lang === 'json')
    .map((b) => JSON.parse(b.value) as Record<string, unknown>);
  const envLine = blocks.map((b) => /^echo '(\w+=\S+)' >> \.env$/m.exec(b.value)?.[1]).find(Boolean);
  return {
    instance: json.find((b) => 'todo' in b)?.todo,
    flow: json.find((b) => b.id === 'item-requested'),
    event: json.find((b) => 'name' in b && 'quantity' in b && !('steps' in b)),
    envLine,
  };
}

describe('your own hub and connector, outside the repository', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let packs: string;
  let hub: string;
  let connector: string;
  let hubInstalled: Promise<unknown>;
  let connectorInstalled: Promise<string>;
  const running: Script[] = [];

  beforeAll(async () => {
    work = await tempDir('baton-own-hub-');
    packs = join(work.path, 'packages');
    hub = join(work.path, 'my-hub');
    connector = join(work.path, 'todo');
    // The global setup built everything; pack:all's own build is for people.
    const packed = await exec(
      process.execPath,
      [join(repoRoot, 'scripts/pack-all.mjs'), '--out', packs, '--no-build'],
      {
        cwd: repoRoot,
      },
    );
    expect(packed.stdout).toContain(`init my-hub --packages ${packs}`);
    hubInstalled = baton(
      ['init', 'my-hub', '--packages', packs, '--connectors', FIRST_PARTY.join(',')],
      work.path,
    ).then(() => npmInstall(hub));
    connectorInstalled = baton(['new', 'connector', 'todo', '--packages', packs], work.path).then(
      async ({ stdout }) => {
        await npmInstall(connector);
        return stdout;
      },
    );
    // Awaited by the tests; a failure must not surface here as an unhandled rejection.
    hubInstalled.catch(() => undefined);
    connectorInstalled.catch(() => undefined);
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled([hubInstalled, connectorInstalled]);
    await Promise.all(running.map((s) => s.stop()));
    await work?.remove();
  });

  it('pack:all packs every publishable package, and nothing private', async () => {
    const tarballs = (await readdir(packs)).sort();
    expect(tarballs).toContain('baton-cli-0.1.0.tgz');
    expect(tarballs).toContain('baton-sdk-0.1.0.tgz');
    for (const name of FIRST_PARTY)
      expect(tarballs.some((t) => t.startsWith(`baton-connector-${name}-`))).toBe(true);
    expect(tarballs.some((t) => t.includes('shared') || t.includes('test') || t.includes('docs'))).toBe(
      false,
    );
  });

  it('init → npm install → validate → sandbox and serve → send: the first flow succeeds', async () => {
    await hubInstalled;
    const manifest = JSON.parse(await readFile(join(hub, 'package.json'), 'utf8'));
    expect(manifest.dependencies['@baton/cli']).toBe(`file:${join(packs, 'baton-cli-0.1.0.tgz')}`);
    expect(manifest.overrides['@baton/sdk']).toBe(`file:${join(packs, 'baton-sdk-0.1.0.tgz')}`);
    const config = await readFile(join(hub, 'baton.config.json'), 'utf8');
    // The $schema points at the schema the install brought.
    expect(existsSync(join(hub, JSON.parse(config).$schema))).toBe(true);
    expect((await exec(join(hub, 'node_modules/.bin/baton'), ['--version'])).stdout.trim()).toBe('0.1.0');

    // Every first-party connector's sandbox config passes against its installed package.
    expect((await npm(['run', 'validate'], hub)).stdout).toContain('✓ 1 flow valid');

    // Where 4010 is taken, the docs say: any free port, and the connectors pointed at it.
    const sandbox = startScript(hub, 'sandbox', ['--port', '0', '--smtp-port', '0']);
    running.push(sandbox);
    const sandboxUrl = await sandbox.url;
    await writeFile(join(hub, 'baton.config.json'), config.split('http://127.0.0.1:4010').join(sandboxUrl));
    const serve = startScript(hub, 'serve', ['--port', '0']);
    running.push(serve);
    const gateway = await serve.url;

    const sent = await npm(
      [
        'run',
        'send',
        '--',
        'app',
        '--type',
        'alert.raised',
        '--data',
        'events/alert-raised.json',
        '--url',
        gateway,
      ],
      hub,
    );
    expect(sent.stdout).toContain('202 Accepted');
    expect(await runEnded(gateway, sent.stdout)).toMatchObject({
      status: 'succeeded',
      output: { alert: 'ALT-1001' },
    });
    const ledger = (await (
      await fetch(`${sandboxUrl}/_sandbox/ledger?system=slack&kind=message.posted`)
    ).json()) as {
      effects: Array<{ data: { text: string; channelName: string } }>;
    };
    expect(ledger.effects.map((e) => [e.data.channelName, e.data.text])).toEqual([
      ['ops', 'warning: Checkout is slow (alert ALT-1001)'],
    ]);

    // The same flow in-process, for a CloudEvent: `baton run` through the hub's `baton` script.
    const data = JSON.parse(await readFile(join(hub, 'events/alert-raised.json'), 'utf8'));
    await writeFile(
      join(hub, 'event.json'),
      JSON.stringify({ type: 'alert.raised', source: 'app', data: { type: 'alert.raised', data } }),
    );
    const ran = await npm(['run', 'baton', '--', 'run', 'alert-raised', '--event', 'event.json'], hub);
    expect(ran.stdout).toContain('ok alert-raised succeeded');
    await serve.stop();
  }, 240_000);

  it('new connector → npm install → typecheck, build, test, version → installed in the hub, run through the gateway', async () => {
    expect(await connectorInstalled).toContain('Created todo with');
    for (const file of [
      'package.json',
      'tsup.config.ts',
      'src/index.ts',
      'src/actions/create-item.ts',
      'src/index.test.ts',
      'src/compat.test.ts',
      'README.md',
      '.gitignore',
      '.changeset/initial-release.md',
    ]) {
      expect(existsSync(join(connector, file)), file).toBe(true);
    }
    const manifest = JSON.parse(await readFile(join(connector, 'package.json'), 'utf8'));
    expect(manifest.name).toBe('baton-connector-todo');
    expect(Object.keys(manifest.peerDependencies)).toEqual(['@baton/sdk', 'zod']);
    expect(manifest.devDependencies['@baton/sdk']).toBe(`file:${join(packs, 'baton-sdk-0.1.0.tgz')}`);
    await npm(['run', 'typecheck'], connector);
    await npm(['run', 'build'], connector);
    expect(existsSync(join(connector, 'dist/index.js'))).toBe(true);
    expect(existsSync(join(connector, 'dist/index.d.ts'))).toBe(true);
    // The actions, the conformance suite and the compatibility check (no baseline before the first release).
    expect((await npm(['test'], connector)).stdout).toMatch(/4 passed/);
    // Every placeholder was filled, and the changeset is one changesets can release.
    for (const file of ['README.md', '.changeset/initial-release.md', 'src/index.ts']) {
      expect(await readFile(join(connector, file), 'utf8'), file).not.toMatch(/__[A-Z]+__|\*\*[A-Z]+\*\*/);
    }
    // Versioning applies the changesets and writes the baseline the compatibility check compares with.
    await npm(['run', 'version-packages'], connector);
    expect(JSON.parse(await readFile(join(connector, 'package.json'), 'utf8')).version).toBe('0.2.0');
    const baseline = JSON.parse(await readFile(join(connector, 'compat/manifest.json'), 'utf8'));
    expect(baseline).toMatchObject({ name: 'todo', version: '0.2.0' });
    expect(Object.keys(baseline.actions)).toEqual(['create-item']);
    expect(await readFile(join(connector, 'CHANGELOG.md'), 'utf8')).toContain(
      'First release of the Todo connector',
    );

    // In the hub, as the page says: install it, its secret, its instance, a flow and an event.
    await hubInstalled;
    const docs = await fromTheDocs();
    expect(docs.instance && docs.flow && docs.event && docs.envLine).toBeTruthy();
    await npmInstall(hub, '../todo');
    await appendFile(join(hub, '.env'), `${docs.envLine}\n`);
    const sandboxUrl = await running[0]!.url;
    const config = JSON.parse(await readFile(join(hub, 'baton.config.json'), 'utf8'));
    config.connectors.todo = JSON.parse(
      JSON.stringify(docs.instance).split('http://127.0.0.1:4010').join(sandboxUrl),
    );
    await writeFile(join(hub, 'baton.config.json'), JSON.stringify(config, null, 2));
    await writeFile(join(hub, 'flows/item-requested.json'), JSON.stringify(docs.flow, null, 2));
    await writeFile(join(hub, 'events/item-requested.json'), JSON.stringify(docs.event));
    expect((await npm(['run', 'validate'], hub)).stdout).toContain('✓ 2 flows valid');

    const serve = startScript(hub, 'serve', ['--port', '0']);
    running.push(serve);
    const gateway = await serve.url;
    const send = () =>
      npm(
        [
          'run',
          'send',
          '--',
          'app',
          '--type',
          'item.requested',
          '--data',
          'events/item-requested.json',
          '--url',
          gateway,
        ],
        hub,
      );
    expect(await runEnded(gateway, (await send()).stdout)).toMatchObject({
      status: 'succeeded',
      output: { item: 'ITM-1001' },
    });
    const ledger = (await (
      await fetch(`${sandboxUrl}/_sandbox/ledger?system=ops&kind=item.created`)
    ).json()) as {
      effects: Array<{ ref: string; data: unknown }>;
    };
    expect(ledger.effects).toEqual([expect.objectContaining({ ref: 'ITM-1001', data: docs.event })]);
    // The same item again: the API's 409, mapped by the scaffold, fails the run without retries.
    expect(await runEnded(gateway, (await send()).stdout)).toMatchObject({
      status: 'failed',
      error: { code: 'ITEM_EXISTS' },
    });
  }, 240_000);

  it('refuses a connector name that is not kebab-case, and a folder in use', async () => {
    await connectorInstalled;
    const run = async (argv: string[]) => {
      let err = '';
      const io = {
        stdout: { write: () => true },
        stderr: { write: (text: string) => (err += text) },
        cwd: work.path,
        env: {},
      };
      return { code: await runCli(argv, io), err };
    };
    expect(await run(['new', 'connector', 'AcmeHelpdesk'])).toEqual({
      code: 1,
      err: 'error CONNECTOR_NAME_INVALID: connector name "AcmeHelpdesk" must be kebab-case, like "acme-helpdesk"\n',
    });
    const again = await run(['new', 'connector', 'todo']);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^error DIRECTORY_NOT_EMPTY: /);
  });
});
