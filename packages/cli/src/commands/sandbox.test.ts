import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
let child: ChildProcess | undefined;

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

/** Starts `baton sandbox` as users run it, from the sources, and collects its output. */
function startCli(args: string[]) {
  const proc = spawn(
    process.execPath,
    ['--conditions=@baton/source', '--import', 'tsx', 'packages/cli/src/bin.ts', 'sandbox', ...args],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child = proc;
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  proc.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    proc.stdout.on('data', () => {
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) =>
      reject(new Error(`baton sandbox exited with ${code} before listening:\n${stderr}`)),
    );
  });
  // A test that expects an early exit never awaits the URL; keep its rejection handled.
  url.catch(() => undefined);
  return { proc, url, exited, output: () => ({ stdout, stderr }) };
}

describe('baton sandbox', () => {
  it('prints where it listens and every system, serves the control API, and stops on SIGTERM', async () => {
    const cli = startCli(['--port', '0']);
    const url = await cli.url;
    const listing = (await (await fetch(`${url}/_sandbox`)).json()) as { systems: Array<{ name: string }> };
    const names = listing.systems.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['bamboohr', 'scim', 'hubspot', 'inventory']));
    for (const name of names) expect(cli.output().stdout).toContain(`${url}/${name}`);
    expect(cli.output().stdout).toContain(`Control API: ${url}/_sandbox`);

    cli.proc.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.output().stdout).toContain('Sandbox stopped (SIGTERM).');
    await expect(fetch(`${url}/_sandbox`)).rejects.toThrow();
  });

  it('refuses a port that is not a number', async () => {
    const cli = startCli(['--port', 'eighty']);
    expect(await cli.exited).toBe(1);
    expect(cli.output().stderr).toContain(
      'error PORT_INVALID: --port must be a number from 0 to 65535, got "eighty"',
    );
  });
});
