import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './proc';

/** The Node-RED release the comparison runs. */
export const NODE_RED_VERSION = '4.1.15';

/**
 * The flow of the comparison: `http in` (which parses the JSON body) →
 * `function` (202 and a small JSON answer) → `http response`. No
 * signature check and nothing recorded: what bare Hono does.
 */
const FLOW = [
  { id: 'bench', type: 'tab', label: 'bench' },
  { id: 'in', type: 'http in', z: 'bench', url: '/webhooks/:source', method: 'post', wires: [['fn']] },
  {
    id: 'fn',
    type: 'function',
    z: 'bench',
    func: 'msg.statusCode = 202;\nmsg.payload = { accepted: true };\nreturn msg;',
    outputs: 1,
    wires: [['out']],
  },
  { id: 'out', type: 'http response', z: 'bench', statusCode: '', headers: {}, wires: [] },
];

/** The editor off, loopback only, no telemetry: a plain flow runtime. */
const SETTINGS = `module.exports = {
  uiHost: '127.0.0.1',
  httpAdminRoot: false,
  httpNodeRoot: '/',
  credentialSecret: false,
  logging: { console: { level: 'info', metrics: false, audit: false } },
  telemetry: { enabled: false },
  externalModules: { autoInstall: false },
};
`;

/** What starting Node-RED needs: its entry script, settings, user folder and flow file. */
export interface NodeRedSetup {
  entry: string;
  settings: string;
  userDir: string;
  flows: string;
}

/**
 * Node-RED installed with npm under test/.tmp/node-red (once; about 120 MB),
 * or undefined with the reason logged when it cannot be installed here:
 * the comparison is optional and the bench goes on without it.
 */
export function prepareNodeRed(log: (message: string) => void): NodeRedSetup | undefined {
  const dir = join(repoRoot, 'test/.tmp/node-red');
  const installed = join(dir, 'node_modules/node-red/package.json');
  try {
    mkdirSync(dir, { recursive: true });
    const current = existsSync(installed)
      ? (JSON.parse(readFileSync(installed, 'utf8')) as { version: string }).version
      : undefined;
    if (current !== NODE_RED_VERSION) {
      log(`installing node-red@${NODE_RED_VERSION} for the comparison (once)`);
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-node-red', private: true }));
      execFileSync(
        'npm',
        ['install', '--no-audit', '--no-fund', '--loglevel=error', `node-red@${NODE_RED_VERSION}`],
        { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 },
      );
    }
    const setup: NodeRedSetup = {
      entry: join(dir, 'node_modules/node-red/red.js'),
      settings: join(dir, 'settings.js'),
      userDir: join(dir, 'user'),
      flows: join(dir, 'flows.json'),
    };
    mkdirSync(setup.userDir, { recursive: true });
    writeFileSync(setup.settings, SETTINGS);
    writeFileSync(setup.flows, JSON.stringify(FLOW, null, 2));
    return setup;
  } catch (error) {
    log(
      `Node-RED comparison skipped: it could not be installed here (${(error as Error).message.split('\n')[0]})`,
    );
    return undefined;
  }
}
