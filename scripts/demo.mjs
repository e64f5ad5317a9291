#!/usr/bin/env node
// The demo: builds Baton, starts the sandbox (emulated business systems) and
// the gateway with the example hub, fires one example event of each kind,
// shows where to watch them, and runs until Ctrl-C.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const examples = join(root, 'examples');
const bin = join(root, 'packages/cli/dist/bin.js');
const SANDBOX = process.env.BATON_DEMO_SANDBOX_PORT ?? '4010';
const GATEWAY = process.env.BATON_DEMO_PORT ?? '8080';

function loadEnv(file) {
  const env = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match) env[match[1]] = match[2].trim();
  }
  return env;
}

console.log('Building Baton (cached after the first time)…');
execFileSync('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], {
  cwd: root,
  stdio: 'inherit',
});

const envFile = existsSync(join(examples, '.env')) ? join(examples, '.env') : join(examples, '.env.example');
const env = { ...loadEnv(envFile), ...process.env };
const children = [];

function start(name, args, ready) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: examples,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let listening = false;
    createInterface({ input: child.stdout }).on('line', (line) => {
      console.log(`[${name}] ${line}`);
      if (!listening && ready.test(line)) {
        listening = true;
        resolve();
      }
    });
    createInterface({ input: child.stderr }).on('line', (line) => console.error(`[${name}] ${line}`));
    child.once('exit', (code) => {
      if (!listening)
        reject(
          new Error(
            `${name} exited with ${code} before listening (is port ${name === 'sandbox' ? SANDBOX : GATEWAY} free?)`,
          ),
        );
    });
  });
}

function stop() {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

try {
  await start('sandbox', ['sandbox', '--port', SANDBOX], /Control API/);
  await start('gateway', ['serve', '--config', 'baton.config.json', '--port', GATEWAY], /admin API/);
  await new Promise((r) => setTimeout(r, 100));
} catch (error) {
  console.error(error.message);
  stop();
  process.exit(1);
}

const gateway = `http://127.0.0.1:${GATEWAY}`;
const send = (source, type, data) =>
  execFileSync(process.execPath, [bin, 'send', source, '--type', type, '--data', data, '--url', gateway], {
    cwd: examples,
    env,
  }).toString();

console.log('\nFiring one example event of each kind:\n');
const fired = [
  ['employee onboarding', send('hr', 'employee.hired', 'events/employee-hired.json')],
  ['order fulfillment', send('shop', 'order.created', 'events/order-created.json')],
];
const manual = await fetch(`${gateway}/api/flows/disaster-recovery/trigger`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ data: JSON.parse(readFileSync(join(examples, 'events/disaster.json'), 'utf8')) }),
}).then((r) => r.json());
fired.push([
  'disaster recovery',
  JSON.stringify({ runs: [{ flow: 'disaster-recovery', runId: manual.runId }] }),
]);

const started = fired.flatMap(([label, answer]) =>
  (JSON.parse(answer.slice(answer.indexOf('{'))).runs ?? []).map((run) => ({ label, ...run })),
);
for (const run of started) {
  let status = 'queued';
  for (let i = 0; i < 300 && !['succeeded', 'failed', 'cancelled'].includes(status); i++) {
    await new Promise((r) => setTimeout(r, 100));
    status = (await fetch(`${gateway}/api/runs/${run.runId}`).then((r) => r.json())).status;
  }
  console.log(`  ${run.label.padEnd(20)} ${status.padEnd(10)} ${gateway}/api/runs/${run.runId}`);
}

console.log(`
Baton is running:
  dashboard      ${gateway}/dashboard
  admin API      ${gateway}/api/runs
  sandbox ledger http://127.0.0.1:${SANDBOX}/_sandbox/ledger

Fire more events (from examples/, with the variables of .env.example exported):
  pnpm exec baton send shop --type order.created --data events/order-created.json
  pnpm exec baton send hr --type employee.hired --data events/employee-hired.json
  pnpm exec baton run disaster-recovery --event events/disaster.json

Ctrl-C stops the demo.`);
