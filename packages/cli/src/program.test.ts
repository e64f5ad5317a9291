import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from './_test-cli';
import { version } from './version';

/**
 * runCli is the one place where what a command returns or throws becomes the
 * exit code. Each case fails before a hub is loaded or a port opened, so
 * they run in-process.
 */
describe('runCli exit codes', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'baton-program-'));
    await writeFile(join(folder, 'baton.config.json'), JSON.stringify({ connectors: {}, sources: {} }));
    await mkdir(join(folder, 'hub', 'flows'), { recursive: true });
    await writeFile(
      join(folder, 'hub', 'baton.config.json'),
      JSON.stringify({ connectors: {}, sources: {} }),
    );
    const needsSecret = { verify: { scheme: 'standard-webhooks', secret: { $env: 'NO_SUCH_SECRET' } } };
    await writeFile(
      join(folder, 'env.json'),
      JSON.stringify({ connectors: {}, sources: { shop: needsSecret } }),
    );
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const run = (argv: string[], env: NodeJS.ProcessEnv = {}) => runInProcess(argv, folder, env);

  it('exits 0 for --version and --help, printing them', async () => {
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['serve', 'worker', 'validate', 'run', 'graph', 'send', 'sandbox', 'new']) {
      expect(help.stdout).toContain(command);
    }
  });

  it('prints the help and exits 0 for `baton` alone', async () => {
    const alone = await run([]);
    expect(alone).toMatchObject({ code: 0, stderr: '' });
    expect(alone.stdout).toMatch(/^Usage: baton \[options\] \[command\]/);
    expect(alone.stdout).toContain('serve');
  });

  it('keeps --help consistent: required options marked, one placeholder per kind, serve names its variables', async () => {
    const help = async (command: string) => (await run([command, '--help'])).stdout;
    expect(await help('send')).toMatch(/--type <type> +\(required\) the event type/);
    const serve = await help('serve');
    expect(serve).toContain('--port <port>');
    expect(serve).toContain('REDIS_URL');
    expect(serve).toContain('BATON_API_TOKEN');
    expect(await help('worker')).toContain('--port <port>');
    expect(await help('run')).toContain('--timeout <ms>');
    for (const command of ['serve', 'worker', 'run', 'send', 'sandbox', 'validate', 'replay', 'approve']) {
      const text = await help(command);
      expect(text, command).not.toMatch(/--(port|smtp-port) <n>|<duration-ms>/);
    }
  });

  it('reports a usage mistake as USAGE, exit 1', async () => {
    expect(await run(['serve', '--prot', '1'])).toEqual({
      code: 1,
      stdout: '',
      stderr: "error USAGE: unknown option '--prot'\n(Did you mean --port?)\n",
    });
  });

  it.each([
    [['serve', '--port', 'eighty'], 'PORT_INVALID: --port must be a number from 0 to 65535, got "eighty"'],
    [['serve', '--port', '70000'], 'PORT_INVALID: --port must be a number from 0 to 65535, got "70000"'],
    [['sandbox', '--port', '-1'], 'PORT_INVALID: --port must be a number from 0 to 65535, got "-1"'],
    [['serve', '--concurrency', '0'], 'OPTION_INVALID: --concurrency must be a whole number ≥ 1, got "0"'],
    [['serve', '--drain', '1.5s'], 'OPTION_INVALID: --drain must be a whole number ≥ 0, got "1.5s"'],
    [
      ['serve', '--no-worker'],
      'REDIS_URL_MISSING: --no-worker leaves the steps to baton worker processes, which share work through Redis: set REDIS_URL or REDIS_CLUSTER_NODES',
    ],
    [
      ['worker'],
      'REDIS_URL_MISSING: baton worker shares work through Redis: set REDIS_URL (such as redis://127.0.0.1:6379), or REDIS_CLUSTER_NODES (seed nodes of a Redis Cluster, such as 10.0.0.5:6379,10.0.0.6:6379)',
    ],
    [
      ['run', 'order', '--event', 'e.json', '--timeout', 'soon'],
      'OPTION_INVALID: --timeout must be a whole number ≥ 1, got "soon"',
    ],
    [
      ['send', 'shop', '--type', 't', '--url', 'localhost:8080'],
      'OPTION_INVALID: --url must be an http:// or https:// URL, got "localhost:8080"',
    ],
  ])('baton %j fails with %s, exit 1', async (argv, error) => {
    expect(await run(argv)).toEqual({ code: 1, stdout: '', stderr: `error ${error}\n` });
  });

  it('worker checks its options once REDIS_URL is there', async () => {
    expect(await run(['worker', '--concurrency', 'lots'], { REDIS_URL: 'redis://127.0.0.1:1' })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error OPTION_INVALID: --concurrency must be a whole number ≥ 1, got "lots"\n',
    });
    expect(await run(['worker', '--port', '65536'], { REDIS_URL: 'redis://127.0.0.1:1' })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error PORT_INVALID: --port must be a number from 0 to 65535, got "65536"\n',
    });
  });

  it.each([
    [{ BATON_REDIS_PARTITIONS: 'three' }, 'BATON_REDIS_PARTITIONS is "three"; use a whole number such as 3'],
    [{ BATON_REDIS_PARTITIONS: '2,3' }, 'BATON_REDIS_PARTITIONS is "2,3"; use a whole number such as 3'],
    [{ BATON_REDIS_PARTITIONS: '0' }, 'BATON_REDIS_PARTITIONS is 0; use a whole number from 1 to 64'],
    [{ BATON_REDIS_PARTITIONS: '65' }, 'BATON_REDIS_PARTITIONS is 65; use a whole number from 1 to 64'],
    [
      { BATON_WORKER_PARTITIONS: 'a,b' },
      'BATON_WORKER_PARTITIONS is "a,b"; list partition numbers such as 0,2',
    ],
    [
      { BATON_REDIS_PARTITIONS: '2', BATON_WORKER_PARTITIONS: '0,2' },
      'BATON_WORKER_PARTITIONS names partition 2, and this hub has partitions 0 to 1',
    ],
  ])('worker with %j fails with REDIS_PARTITIONS_INVALID before connecting, exit 1', async (env, message) => {
    // Port 1: nothing listens, so an error about Redis would mean the count was not checked first.
    const { code, stderr } = await run(['worker', '--config', 'hub/baton.config.json'], {
      REDIS_URL: 'redis://127.0.0.1:1',
      ...env,
    });
    expect(code).toBe(1);
    expect(stderr).toContain(`error REDIS_PARTITIONS_INVALID: ${message}`);
  });

  it.each([['serve'], ['validate'], ['run', 'order', '--event', 'e.json'], ['send', 'shop', '--type', 't']])(
    'baton %s without the config file fails with CONFIG_NOT_FOUND, exit 1',
    async (...argv) => {
      const missing = await run([...argv, '--config', 'nowhere.json']);
      expect(missing).toEqual({
        code: 1,
        stdout: '',
        stderr:
          'error CONFIG_NOT_FOUND: nowhere.json does not exist; run in the folder of baton.config.json or pass --config <file>\n',
      });
      const folderGiven = await run([...argv, '--config', 'hub']);
      expect(folderGiven.stderr).toBe(
        'error CONFIG_NOT_FOUND: hub is a folder; pass --config hub/baton.config.json\n',
      );
    },
  );

  it('reports an error from another package under its own code, exit 1', async () => {
    const { code, stderr } = await run(['send', 'shop', '--type', 't', '--config', 'env.json']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error CONFIG_ENV_MISSING: .*NO_SUCH_SECRET/);
  });
});
