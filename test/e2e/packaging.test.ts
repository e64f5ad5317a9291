import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packWorkspace } from '../helpers/packed';
import { killChildren } from '../helpers/spawn-baton';
import { exec, repoRoot, tempDir } from '../helpers/workspace';

/**
 * Baton the way users (and the acceptance suite) get it: every package packed
 * with `pnpm pack` and installed with npm into a folder outside the
 * workspace, then driven through the `baton` binary and HTTP only.
 */
const connectors = readdirSync(join(repoRoot, 'connectors')).map((name) => `connectors/${name}`);
const packages = [
  'packages/sdk',
  'packages/runtime',
  'packages/gateway',
  'packages/sandbox',
  'packages/cli',
  ...connectors,
];

const acme = `
import { defineAction, defineConnector, NonRetryableError } from '@baton/sdk';
import { z } from 'zod';

export default defineConnector({
  name: 'acme-helpdesk',
  config: z.object({ greeting: z.string() }),
  actions: {
    'create-ticket': defineAction({
      input: z.object({ subject: z.string(), amount: z.number() }),
      output: z.object({ id: z.string(), text: z.string() }),
      async run({ input, config, idempotencyKey }) {
        if (input.amount < 0) throw new NonRetryableError('negative amount', { code: 'NEGATIVE' });
        return { id: 'T-' + idempotencyKey.length, text: config.greeting + ' ' + input.subject };
      },
    }),
  },
});
`;

function start(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const proc = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL from ${args[0]}:\n${out}\n${err}`)), 60_000);
    proc.stdout.on('data', () => {
      const match = /(?:listening on|Baton listening on) (http:\/\/[^\s]+)/i.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    proc.once('exit', (code) => reject(new Error(`${args[0]} exited ${code}:\n${out}\n${err}`)));
  });
  url.catch(() => undefined);
  return { proc, url, output: () => ({ out, err }) };
}

describe('the packed packages, installed with npm in a fresh folder', () => {
  let packed: Awaited<ReturnType<typeof packWorkspace>>;
  let app: Awaited<ReturnType<typeof tempDir>>;
  const procs: Array<ReturnType<typeof start>> = [];

  beforeAll(async () => {
    packed = await packWorkspace(packages);
    app = await tempDir('baton-user-');
    await writeFile(
      join(app.path, 'package.json'),
      JSON.stringify({ name: 'my-hub', private: true, type: 'module' }),
    );
    await exec(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        ...Object.values(packed.tarballs),
        'zod@^4',
        'standardwebhooks@^1',
      ],
      {
        cwd: app.path,
        maxBuffer: 64 * 1024 * 1024,
      },
    );
  }, 300_000);

  afterAll(async () => {
    for (const p of procs) p.proc.kill('SIGKILL');
    killChildren();
    await app?.remove();
    await packed?.remove();
  });

  const baton = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
    exec(join(app.path, 'node_modules/.bin/baton'), args, { cwd: app.path, env }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    );

  it('installs a working baton binary', async () => {
    const { code, stdout } = await baton(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await baton(['--help']);
    for (const command of ['serve', 'worker', 'validate', 'run', 'graph', 'send', 'sandbox', 'new']) {
      expect(help.stdout).toContain(command);
    }
  });

  it('validates, serves signed webhooks through a published and a local connector, and runs a flow in-process', async () => {
    const secret = `whsec_${Buffer.from('packaged-signing-key-0123456789').toString('base64')}`;
    // The embedded backend: CI exports REDIS_URL, which would put this hub's keys in the shared Redis.
    const { REDIS_URL: _redis, ...parentEnv } = process.env;
    const env = {
      ...parentEnv,
      SHOP_SECRET: secret,
      STRIPE_KEY: 'sk_test_packaged_123',
      BATON_API_TOKEN: '',
    };
    const sandbox = start(
      join(app.path, 'node_modules/.bin/baton'),
      ['sandbox', '--port', '0'],
      app.path,
      env,
    );
    procs.push(sandbox);
    const sandboxUrl = await sandbox.url;

    await mkdir(join(app.path, 'my-connectors/acme/dist'), { recursive: true });
    await writeFile(join(app.path, 'my-connectors/acme/dist/index.js'), acme);
    await mkdir(join(app.path, 'flows'), { recursive: true });
    await writeFile(
      join(app.path, 'baton.config.json'),
      JSON.stringify({
        $schema: './node_modules/@baton/runtime/schemas/config.schema.json',
        flows: './flows',
        connectors: {
          payment: {
            use: '@baton/connector-stripe',
            config: { apiKey: { $env: 'STRIPE_KEY' }, baseUrl: `${sandboxUrl}/stripe` },
            egress: { allow: ['loopback'] },
          },
          acme: { use: './my-connectors/acme/dist/index.js', config: { greeting: 'hello' } },
        },
        sources: { shop: { verify: { scheme: 'standard-webhooks', secret: { $env: 'SHOP_SECRET' } } } },
      }),
    );
    await writeFile(
      join(app.path, 'flows/order.json'),
      JSON.stringify({
        $schema: '../node_modules/@baton/runtime/schemas/flow.schema.json',
        id: 'order',
        trigger: { source: 'shop', event: 'order.*', if: '{{ event.data.total > 0 }}' },
        steps: [
          {
            id: 'charge',
            action: 'payment.create-payment-intent',
            input: {
              amount: '{{ event.data.total }}',
              currency: 'usd',
              payment_method: 'pm_card_visa',
              confirm: true,
            },
          },
          {
            id: 'ticket',
            action: 'acme.create-ticket',
            input: { subject: 'paid {{ steps.charge.output.id }}', amount: '{{ event.data.total }}' },
          },
        ],
        output: { ticket: '{{ steps.ticket.output.text }}' },
      }),
    );

    const valid = await baton(['validate'], env);
    expect(valid.stderr).toBe('');
    expect(valid.code).toBe(0);
    expect(valid.stdout).toContain('✓ 1 flow valid');

    const serve = start(join(app.path, 'node_modules/.bin/baton'), ['serve', '--port', '0'], app.path, env);
    procs.push(serve);
    const url = await serve.url;

    const { Webhook } = await import(join(app.path, 'node_modules/standardwebhooks/dist/index.js'));
    const body = JSON.stringify({ type: 'order.created', total: 4200, sku: 'A-1' });
    const at = new Date();
    const headers = {
      'content-type': 'application/json',
      'webhook-id': 'msg_packaged_1',
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign('msg_packaged_1', at, body),
    };
    const accepted = await fetch(`${url}/webhooks/shop`, { method: 'POST', headers, body });
    expect(accepted.status).toBe(202);
    const { runs } = (await accepted.json()) as { runs: Array<{ runId: string }> };
    let run: { status: string; output: unknown } | undefined;
    for (let i = 0; i < 200 && !['succeeded', 'failed'].includes(run?.status ?? ''); i++) {
      await new Promise((r) => setTimeout(r, 50));
      run = (await (await fetch(`${url}/api/runs/${runs[0]!.runId}`)).json()) as typeof run;
    }
    expect(run).toMatchObject({
      status: 'succeeded',
      output: { ticket: expect.stringMatching(/^hello paid pi_/) },
    });
    const ledger = (await (
      await fetch(`${sandboxUrl}/_sandbox/ledger?system=stripe&kind=charge.succeeded`)
    ).json()) as { effects: unknown[] };
    expect(ledger.effects).toHaveLength(1);

    await writeFile(
      join(app.path, 'event.json'),
      JSON.stringify({ type: 'order.created', data: { total: 1000 } }),
    );
    const ran = await baton(['run', 'order', '--event', 'event.json'], env);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('ok order succeeded');
    serve.proc.kill('SIGTERM');
  }, 180_000);
});
