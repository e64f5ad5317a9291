import { Gauge, type Registry } from 'prom-client';
import type { ConnectorHealth } from './connector-health';

/**
 * `baton_connector_credentials_valid{instance}`, read at each scrape: 0 when
 * the instance's credentials need reconnecting (a refresh was refused,
 * whichever process saw it: the state is in the backend) or this process's
 * last health check of it was refused with CREDENTIALS_INVALID; 1 otherwise
 * (valid, not fetched yet, or no OAuth2). Alert on it being 0.
 */
export function registerCredentialsGauge(registry: Registry, health: ConnectorHealth): void {
  new Gauge({
    name: 'baton_connector_credentials_valid',
    help: 'Whether a connector instance’s credentials work: 0 when it needs reconnecting (new credentials in the config), 1 otherwise.',
    labelNames: ['instance'],
    registers: [registry],
    async collect() {
      const names = health.names();
      const states = await Promise.all(names.map((name) => health.credentials(name)));
      this.reset();
      names.forEach((name, i) => {
        const refused =
          states[i]!.state === 'needs-reconnect' || health.last(name)?.error?.code === 'CREDENTIALS_INVALID';
        this.set({ instance: name }, refused ? 0 : 1);
      });
    },
  });
}
