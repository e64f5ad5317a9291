import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { examplesDir } from './examples';

/**
 * A hub folder inside examples/ (under its git-ignored .tmp), so the
 * first-party connector packages (`@baton/connector-*`) resolve from it as
 * they do for the example hub; objects are written as JSON. Load it with
 * the `@baton/source` condition (or run `baton` from the sources) to use
 * the connectors' sources. `remove` deletes it.
 */
export async function connectorHub(files: Record<string, string | object>) {
  await mkdir(join(examplesDir, '.tmp'), { recursive: true });
  const path = await mkdtemp(join(examplesDir, '.tmp', 'hub-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(path, name)), { recursive: true });
    await writeFile(
      join(path, name),
      typeof content === 'string' ? content : JSON.stringify(content, null, 2),
    );
  }
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A HubSpot instance on a sandbox at `sandboxUrl`, with a private app token read from `$env`. */
export function hubspotWithToken(sandboxUrl: string, tokenVariable: string) {
  return {
    use: '@baton/connector-hubspot',
    config: { baseUrl: `${sandboxUrl}/hubspot`, accessToken: { $env: tokenVariable } },
    egress: { allow: ['loopback'] },
  };
}

/**
 * A HubSpot instance on a sandbox at `sandboxUrl` with the OAuth2 app the
 * sandbox's authority knows (`sandbox-client`), its secret and refresh
 * token read from `$env` (the sandbox's are `sandbox-secret` and
 * `sandbox-refresh-token`).
 */
export function hubspotWithOAuth(
  sandboxUrl: string,
  variables: { clientSecret: string; refreshToken: string } = {
    clientSecret: 'HUBSPOT_CLIENT_SECRET',
    refreshToken: 'HUBSPOT_REFRESH_TOKEN',
  },
) {
  return {
    use: '@baton/connector-hubspot',
    config: {
      baseUrl: `${sandboxUrl}/hubspot`,
      oauth: {
        clientId: 'sandbox-client',
        clientSecret: { $env: variables.clientSecret },
        refreshToken: { $env: variables.refreshToken },
        tokenUrl: `${sandboxUrl}/hubspot/oauth/v1/token`,
      },
    },
    egress: { allow: ['loopback'] },
  };
}
