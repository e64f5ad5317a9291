import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACME_CONNECTOR, packageConnector, tempFolder } from '../__fixtures__/temp-folder';
import { formatDiagnostic } from '../diagnostics/diagnostic';
import { validateHub } from './validate-hub';

const CONFIG = `{
  "flows": "./flows",
  "connectors": {
    "helpdesk": { "use": "./connectors/acme.mjs", "config": { "apiKey": { "$env": "ACME_KEY" } } },
    "mail": { "use": "acme-mailer" },
    "gone": { "use": "./connectors/gone.mjs" }
  },
  "sources": {
    "shop": { "verify": { "scheme": "standard-webhooks", "secret": { "$env": "SHOP_SECRET" } } }
  }
}
`;

const GOOD_FLOW = `{
  "id": "ticket-on-order",
  "trigger": { "source": "shop", "event": "order.*" },
  "steps": [
    { "id": "ticket", "action": "helpdesk.create-ticket", "input": { "subject": "Order {{ event.data.id }}" } },
    { "id": "mail", "action": "mail.send", "input": { "to": "{{ event.data.email }}" } },
    { "id": "later", "action": "gone.whatever", "input": { "anything": 1 } }
  ],
  "output": { "ticket": "{{ steps.ticket.output.url }}" }
}
`;

const BAD_FLOW = `{
  "id": "bad",
  "trigger": { "source": "shopp", "event": "order.created" },
  "steps": [
    { "id": "ticket", "action": "helpdesk.create-tiket", "input": {} },
    { "id": "mail", "action": "mail.send", "input": { "too": "x" } },
    { "id": "tell", "action": "mail.send", "input": { "to": "{{ steps.mail.output.delivred }}" } }
  ]
}
`;

describe('validateHub', () => {
  let hub: Awaited<ReturnType<typeof tempFolder>>;
  const lines = (diagnostics: Parameters<typeof formatDiagnostic>[0][]) =>
    diagnostics.map((d) => formatDiagnostic(d, { cwd: hub.path }));

  beforeEach(async () => {
    hub = await tempFolder('hub-');
    await hub.write('connectors/acme.mjs', ACME_CONNECTOR);
    for (const [file, content] of Object.entries(packageConnector('acme-mailer'))) {
      await hub.write(`node_modules/acme-mailer/${file}`, content);
    }
    await hub.write('baton.config.json', CONFIG);
    await hub.write('flows/good.json', GOOD_FLOW);
    await hub.write('flows/bad.json', BAD_FLOW);
  });

  afterEach(() => hub.remove());

  it('checks the config, loads connector manifests and checks every flow of the flows folder', async () => {
    const result = await validateHub({ configPath: join(hub.path, 'baton.config.json') });
    expect(lines(result.diagnostics)).toEqual([
      'baton.config.json:6:22 /connectors/gone/use: connector instance "gone": cannot load connector "./connectors/gone.mjs": no file at ' +
        `${hub.path}/connectors/gone.mjs [CONNECTOR_LOAD_FAILED]`,
      'flows/bad.json:3:26 /trigger/source: no source "shopp" in baton.config.json; did you mean "shop"? [TRIGGER_UNKNOWN_SOURCE]',
      'flows/bad.json:5:33 /steps/0/action: connector "helpdesk" (acme-helpdesk) has no action "create-tiket"; did you mean "create-ticket"? [STEP_UNKNOWN_ACTION]',
      'flows/bad.json:6:53 /steps/1/input/to: required by mail.send [STEP_INPUT_MISSING]',
      'flows/bad.json:6:55 /steps/1/input/too: mail.send has no field "too"; did you mean "to"? [STEP_INPUT_UNKNOWN_FIELD]',
      'flows/bad.json:7:61 /steps/2/input/to: steps.mail.output has no field "delivred" in the output of mail.send; did you mean "delivered"? [REF_OUTPUT_PATH]',
    ]);
    expect(result.config?.sources?.shop?.verify.scheme).toBe('standard-webhooks');
    expect(result.flows.map((f) => [f.file, f.flow?.id, f.diagnostics.length])).toEqual([
      [join(hub.path, 'flows/bad.json'), 'bad', 5],
      [join(hub.path, 'flows/good.json'), 'ticket-on-order', 0],
    ]);
    expect([...result.connectors.keys()]).toEqual(['helpdesk', 'mail']);
  });

  it('checks wait and approval steps, and warns (without failing) when a wait names an undeclared source', async () => {
    await hub.write(
      'flows/waits.json',
      `{
  "id": "waits",
  "steps": [
    { "id": "ticket", "action": "helpdesk.create-ticket", "input": { "subject": "x" } },
    { "id": "paid", "timeout": "2d",
      "wait": { "source": "shopp", "event": "payment_intent.succeeded", "key": "{{ steps.ticket.output.url }}",
                "eventKey": "{{ event.data.id }}", "lookback": "10m" } },
    { "id": "ok", "approval": { "title": "Ship {{ steps.paid.output.id }}?" } }
  ]
}
`,
    );
    await hub.write(
      'flows/bad-waits.json',
      `{
  "id": "bad-waits",
  "steps": [
    { "id": "paid", "wait": { "source": "shop", "event": "x", "key": "{{ steps.nope.output }}", "eventKey": "{{ steps.paid.output }}", "lookback": "soon" } },
    { "id": "ok", "approval": { } }
  ]
}
`,
    );
    const result = await validateHub({
      configPath: join(hub.path, 'baton.config.json'),
      flowPaths: [join(hub.path, 'flows/waits.json'), join(hub.path, 'flows/bad-waits.json')],
    });
    expect(lines(result.flows[0]!.diagnostics)).toEqual([]);
    expect(lines(result.warnings)).toEqual([
      'flows/waits.json:6:27 warning: /steps/1/wait/source: no source "shopp" in baton.config.json, so no webhook can end this wait; did you mean "shop"? [WAIT_UNKNOWN_SOURCE]',
    ]);
    const bad = lines(result.flows[1]!.diagnostics).join('\n');
    expect(bad).toContain('/steps/0/wait/lookback');
    expect(bad).toContain('/steps/1/approval/title');
  });

  it('warns (without failing) when a connector config URL is loopback or private and egress.allow does not list it', async () => {
    const instance = (config: unknown, allow?: string[]) => ({
      use: './connectors/acme.mjs',
      config,
      ...(allow ? { egress: { allow } } : {}),
    });
    await hub.write(
      'baton.config.json',
      JSON.stringify(
        {
          connectors: {
            local: instance({ baseUrl: 'http://127.0.0.1:4010/api' }),
            named: instance({ endpoints: ['https://localhost:8443'] }),
            lan: instance({ baseUrl: 'http://10.1.2.3/v1' }, ['loopback']),
            allowed: instance({ baseUrl: 'http://127.0.0.1:4010/api' }, ['loopback']),
            byName: instance({ baseUrl: 'http://localhost:4010' }, ['localhost']),
            public: instance({ baseUrl: 'https://api.example.com', token: { $env: 'X' } }),
          },
        },
        null,
        2,
      ),
    );
    const result = await validateHub({ configPath: join(hub.path, 'baton.config.json'), flowPaths: [] });
    const warned = lines(result.warnings);
    expect(warned).toHaveLength(3);
    expect(warned[0]).toMatch(
      /^baton\.config\.json:\d+:\d+ warning: \/connectors\/local\/config\/baseUrl: connector instance "local" points at 127\.0\.0\.1:4010, which is not a public address, .*EGRESS_BLOCKED\. If this is intended, add "egress": \{ "allow": \["loopback"\] \} to the instance \[EGRESS_NOT_ALLOWED\]$/,
    );
    expect(warned[1]).toContain(
      '/connectors/named/config/endpoints/0: connector instance "named" points at localhost:8443',
    );
    expect(warned[1]).toContain('["loopback"]');
    expect(warned[2]).toContain('"lan" points at 10.1.2.3');
    expect(warned[2]).toContain('["private"]');
  });

  it('checks only the flow files it is given', async () => {
    const result = await validateHub({
      configPath: join(hub.path, 'baton.config.json'),
      flowPaths: [join(hub.path, 'flows/good.json'), join(hub.path, 'flows/missing.json')],
    });
    expect(lines(result.flows.flatMap((f) => f.diagnostics))).toEqual([
      'flows/missing.json:1:1 cannot read the flow file: no such file [FLOW_READ_FAILED]',
    ]);
  });

  it('reports config schema errors and literal connector configs, and still checks the flows', async () => {
    await hub.write(
      'baton.config.json',
      `{
  "flow": "./flows",
  "connectors": {
    "helpdesk": { "use": "./connectors/acme.mjs", "config": { "region": "mars" } },
    "mail": { "use": "acme-mailer" }
  },
  "sources": { "shop": { "verify": { "scheme": "webhook" } } }
}
`,
    );
    const result = await validateHub({ configPath: join(hub.path, 'baton.config.json') });
    expect(result.config).toBeUndefined();
    expect(lines(result.configDiagnostics)).toEqual([
      'baton.config.json:2:3 /flow: unknown property; did you mean "flows"? [CONFIG_SCHEMA]',
      'baton.config.json:4:61 /connectors/helpdesk/config/apiKey: required by the acme-helpdesk connector [CONNECTOR_CONFIG_INVALID]',
      'baton.config.json:4:73 /connectors/helpdesk/config/region: the acme-helpdesk connector expects one of "eu", "us", got the string "mars" [CONNECTOR_CONFIG_INVALID]',
      'baton.config.json:7:48 /sources/shop/verify/scheme: must be one of "standard-webhooks", "stripe", "github", "shopify", "hmac-sha256", got the string "webhook" [CONFIG_SCHEMA]',
    ]);
    // The flows folder falls back to ./flows; sources and connectors still check the flows.
    expect(result.flows).toHaveLength(2);
    expect(result.flows[0]!.diagnostics.map((d) => d.code)).toContain('TRIGGER_UNKNOWN_SOURCE');
  });

  it('checks $env variables only when given an environment', async () => {
    const configPath = join(hub.path, 'baton.config.json');
    expect((await validateHub({ configPath })).configDiagnostics.map((d) => d.code)).not.toContain(
      'CONFIG_ENV_MISSING',
    );
    const result = await validateHub({ configPath, env: { ACME_KEY: 'k' } });
    expect(lines(result.configDiagnostics.filter((d) => d.code === 'CONFIG_ENV_MISSING'))).toEqual([
      'baton.config.json:9:78 /sources/shop/verify/secret/$env: environment variable SHOP_SECRET is not set [CONFIG_ENV_MISSING]',
    ]);
  });

  it('reports a flows folder that does not exist, and flow ids used twice', async () => {
    await hub.write('baton.config.json', '{ "flows": "./nowhere" }\n');
    const missing = await validateHub({ configPath: join(hub.path, 'baton.config.json') });
    expect(lines(missing.diagnostics)).toEqual([
      `baton.config.json:1:12 /flows: the flows folder ${hub.path}/nowhere does not exist [CONFIG_FLOWS_NOT_FOUND]`,
    ]);

    await hub.write('baton.config.json', '{}\n');
    await hub.write(
      'flows/bad.json',
      '{ "id": "ticket-on-order", "steps": [{ "id": "a", "delay": "1s" }] }\n',
    );
    await hub.write(
      'flows/good.json',
      '{ "id": "ticket-on-order", "steps": [{ "id": "a", "delay": "2s" }] }\n',
    );
    const duplicate = await validateHub({ configPath: join(hub.path, 'baton.config.json') });
    expect(lines(duplicate.diagnostics)).toEqual([
      `flows/good.json:1:9 /id: flow id "ticket-on-order" is also used by ${hub.path}/flows/bad.json; flow ids must be unique in the hub [FLOW_DUPLICATE_ID]`,
    ]);
  });

  it('throws CONFIG_NOT_FOUND when there is no config file', async () => {
    await expect(validateHub({ configPath: join(hub.path, 'nope.json') })).rejects.toMatchObject({
      code: 'CONFIG_NOT_FOUND',
    });
  });
});
