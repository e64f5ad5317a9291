/** Where `baton sandbox` listens by default; a new hub's connectors point there. */
export const SANDBOX_URL = 'http://127.0.0.1:4010';

/** A variable a new hub's `.env.example` holds, with a value the sandbox accepts. */
export interface EnvVariable {
  name: string;
  value: string;
  /** A line of comment above it, when the value needs one. */
  note?: string;
}

/** How `baton init` wires one first-party connector into a new hub. */
export interface FirstPartyConnector {
  /** The npm package. */
  package: string;
  /** The instance config, pointed at the sandbox; secrets as `{ "$env" }`. */
  config: Record<string, unknown>;
  /** The variables `config` reads, with development values. */
  env: EnvVariable[];
}

const secret = (name: string) => ({ $env: name });

/**
 * Every first-party connector `baton init --connectors` can add, by the
 * name the option takes (also the instance name in the new config). The
 * configs are the example hub's: each works against `baton sandbox` as is.
 */
export const FIRST_PARTY: Record<string, FirstPartyConnector> = {
  http: {
    package: '@baton/connector-http',
    config: { baseUrl: `${SANDBOX_URL}/ops`, bearerToken: secret('OPS_API_TOKEN') },
    env: [{ name: 'OPS_API_TOKEN', value: 'sandbox-ops-token' }],
  },
  slack: {
    package: '@baton/connector-slack',
    config: { baseUrl: `${SANDBOX_URL}/slack/api`, token: secret('SLACK_BOT_TOKEN') },
    env: [
      {
        name: 'SLACK_BOT_TOKEN',
        value: 'xoxb-sandbox-slack-token',
        note: 'Slack bot tokens start with xox.',
      },
    ],
  },
  bamboohr: {
    package: '@baton/connector-bamboohr',
    config: {
      companyDomain: 'acme',
      apiKey: secret('BAMBOOHR_API_KEY'),
      baseUrl: `${SANDBOX_URL}/bamboohr/api/gateway.php/acme/v1`,
    },
    env: [{ name: 'BAMBOOHR_API_KEY', value: 'sandbox-bamboohr-key' }],
  },
  scim: {
    package: '@baton/connector-scim',
    config: { baseUrl: `${SANDBOX_URL}/scim/v2`, token: secret('SCIM_TOKEN') },
    env: [{ name: 'SCIM_TOKEN', value: 'sandbox-scim-token' }],
  },
  hubspot: {
    package: '@baton/connector-hubspot',
    config: {
      baseUrl: `${SANDBOX_URL}/hubspot`,
      accessToken: secret('HUBSPOT_ACCESS_TOKEN'),
      dealIdempotencyProperty: 'baton_idempotency_key',
    },
    env: [{ name: 'HUBSPOT_ACCESS_TOKEN', value: 'pat-sandbox-hubspot-token' }],
  },
  inventory: {
    package: '@baton/connector-inventory',
    config: {
      shop: 'acme',
      accessToken: secret('SHOPIFY_ACCESS_TOKEN'),
      baseUrl: `${SANDBOX_URL}/inventory/admin/api/2024-10`,
      locationId: 655441491,
    },
    env: [{ name: 'SHOPIFY_ACCESS_TOKEN', value: 'shpat_sandbox_inventory_token' }],
  },
  stripe: {
    package: '@baton/connector-stripe',
    config: { baseUrl: `${SANDBOX_URL}/stripe`, apiKey: secret('STRIPE_SECRET_KEY') },
    env: [{ name: 'STRIPE_SECRET_KEY', value: 'sk_test_sandbox_stripe_key' }],
  },
  easypost: {
    package: '@baton/connector-easypost',
    config: { baseUrl: `${SANDBOX_URL}/easypost/v2`, apiKey: secret('EASYPOST_API_KEY') },
    env: [{ name: 'EASYPOST_API_KEY', value: 'EZTKsandboxeasypostkey' }],
  },
  shippo: {
    package: '@baton/connector-shippo',
    config: { baseUrl: `${SANDBOX_URL}/shippo`, apiKey: secret('SHIPPO_API_TOKEN') },
    env: [{ name: 'SHIPPO_API_TOKEN', value: 'shippo_test_sandbox_token' }],
  },
  smtp: {
    package: '@baton/connector-smtp',
    // The sandbox's mail server; it takes any sender and no password.
    config: { host: '127.0.0.1', port: 2525, from: 'Baton <no-reply@example.test>' },
    env: [],
  },
};

/** The connectors a new hub gets without `--connectors`: the first flow uses both. */
export const DEFAULT_CONNECTORS = ['http', 'slack'] as const;
