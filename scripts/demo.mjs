#!/usr/bin/env node
// The demo: builds Baton, starts the sandbox (emulated business systems) and
// the gateway with the example hub, fires one example event of each kind —
// and one order whose carrier is down and whose label is then refused, so a
// retry, a fallback and a compensation are there to see — shows where to
// watch them, and runs until Ctrl-C.
//
//   pnpm demo [--port N] [--sandbox-port N] [--smtp-port N] [--exit]
//
// --port: the gateway's port (default 8080, or BATON_DEMO_PORT);
// --sandbox-port: the sandbox's (default 4010, or BATON_DEMO_SANDBOX_PORT);
// --smtp-port: the sandbox's mail server (default 2525, or BATON_DEMO_SMTP_PORT);
// --exit: stop once the events ran (for a check), instead of at Ctrl-C.
// The example hub calls the sandbox at 127.0.0.1:4010 and 2525: on other
// ports the demo serves a copy of its config that says so (examples/.demo.config.json).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    'sandbox-port': { type: 'string' },
    'smtp-port': { type: 'string' },
    exit: { type: 'boolean', default: false },
  },
});
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const examples = join(root, 'examples');
const bin = join(root, 'packages/cli/dist/bin.js');
const SANDBOX = args['sandbox-port'] ?? process.env.BATON_DEMO_SANDBOX_PORT ?? '4010';
const GATEWAY = args.port ?? process.env.BATON_DEMO_PORT ?? '8080';
const SMTP = args['smtp-port'] ?? process.env.BATON_DEMO_SMTP_PORT ?? '2525';

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
const config = demoConfig();

/** The example hub's config, or a copy calling the sandbox on the ports chosen. */
function demoConfig() {
  if (SANDBOX === '4010' && SMTP === '2525') return 'baton.config.json';
  const text = readFileSync(join(examples, 'baton.config.json'), 'utf8')
    .replaceAll('127.0.0.1:4010', `127.0.0.1:${SANDBOX}`)
    .replace('"port": 2525', `"port": ${SMTP}`);
  // Beside the original (git-ignored), so its connector packages and flows resolve the same.
  const file = join(examples, '.demo.config.json');
  writeFileSync(file, text);
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === 'string') env[name] = value.replaceAll('127.0.0.1:4010', `127.0.0.1:${SANDBOX}`);
  }
  return file;
}
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
            `${name} exited with ${code} before listening (is port ${name === 'sandbox' ? SANDBOX : GATEWAY} free? ` +
              'choose others: pnpm demo --port N --sandbox-port N --smtp-port N)',
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
  await start('sandbox', ['sandbox', '--port', SANDBOX, '--smtp-port', SMTP], /Control API/);
  await start('gateway', ['serve', '--config', config, '--port', GATEWAY], /admin API/);
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

const runsOf = (label, answer) =>
  (JSON.parse(answer.slice(answer.indexOf('{'))).runs ?? []).map((run) => ({ label, ...run }));
const started = fired.flatMap(([label, answer]) => runsOf(label, answer));
for (const run of started) await report(run);

// One more order, while carrier A (EasyPost) is down and carrier B (Shippo) refuses the label:
// the shipment is retried, then rerouted to carrier B; the refused label fails the run, whose
// finished steps are compensated (the charge refunded, the stock released).
const sandbox = `http://127.0.0.1:${SANDBOX}`;
const fault = (system, plan) =>
  fetch(`${sandbox}/_sandbox/faults/${system}`, {
    method: plan ? 'PUT' : 'DELETE',
    ...(plan ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(plan) } : {}),
  });
await fault('easypost', { errorRate: 1, errorStatus: 503, pathIncludes: '/shipments' });
await fault('shippo', { statuses: [422], pathIncludes: '/transactions', method: 'POST' });
const order = JSON.parse(readFileSync(join(examples, 'events/order-created.json'), 'utf8'));
const rerouted = { ...order, orderId: `${order.orderId}-b`, orderNumber: `${order.orderNumber}-B` };
const reroutedFile = join(tmpdir(), `baton-demo-order-${process.pid}.json`);
writeFileSync(reroutedFile, JSON.stringify(rerouted));
try {
  for (const run of runsOf('order, carrier down', send('shop', 'order.created', reroutedFile))) {
    await report(run);
  }
} finally {
  rmSync(reroutedFile, { force: true });
  await fault('easypost');
  await fault('shippo');
}

/** Waits for the run to end and prints its status and page. */
async function report(run) {
  let status = 'queued';
  for (let i = 0; i < 300 && !['succeeded', 'failed', 'cancelled'].includes(status); i++) {
    await new Promise((r) => setTimeout(r, 100));
    status = (await fetch(`${gateway}/api/runs/${run.runId}`).then((r) => r.json())).status;
  }
  console.log(`  ${run.label.padEnd(20)} ${status.padEnd(10)} ${gateway}/dashboard/runs/${run.runId}`);
  const story = storyOf(await fetch(`${gateway}/api/runs/${run.runId}`).then((r) => r.json()));
  if (story) console.log(`  ${''.padEnd(20)} ${story}`);
}

/** What happened on the way, for a run that did more than succeed first time. */
function storyOf(record) {
  const steps = record.steps ?? [];
  const failedOn = (s) => (s.attempts ?? []).filter((a) => a.error);
  const retried = steps.filter(
    (s) => failedOn(s).some((a) => a.route === 0) && (s.attempts ?? []).length > 1,
  );
  const rerouted = steps.filter((s) => (s.attempts ?? []).some((a) => a.route > 0));
  const compensated = steps.filter(
    (s) => s.compensation?.status === 'succeeded' || s.status === 'compensated',
  );
  const parts = [
    retried.length ? `retried: ${retried.map((s) => s.id).join(', ')}` : '',
    rerouted.length
      ? `rerouted: ${rerouted.map((s) => `${s.id} → ${s.attempts.findLast((a) => a.route > 0).action}`).join(', ')}`
      : '',
    record.status === 'failed' && record.error ? `failed: ${record.error.code}` : '',
    compensated.length ? `compensated: ${compensated.map((s) => s.id).join(', ')}` : '',
  ];
  return parts.filter(Boolean).join('; ');
}

console.log(`
Baton is running:
  dashboard      ${gateway}/dashboard
  admin API      ${gateway}/api/runs
  sandbox ledger ${sandbox}/_sandbox/ledger

Fire more events: in the repository's examples/ folder (where @baton/cli is installed), with the
variables of .env.example set (export $(cat .env.example | xargs)):
  npx baton send shop --type order.created --data events/order-created.json --url ${gateway}
  npx baton send hr --type employee.hired --data events/employee-hired.json --url ${gateway}
  npx baton run disaster-recovery --event events/disaster.json

Ctrl-C stops the demo.`);
if (args.exit) stop();
