import { Hono } from 'hono';
import { z } from 'zod';
import type { SandboxState } from '../../state';
import { IdSequence, opsError, readBody, readOptionalBody } from './http';
import type { OpsSwitches } from './switches';

/** The services the company runs, at the versions live after every reset. */
export const SEEDED_SERVICES = [
  { name: 'storefront', version: '2.4.0' },
  { name: 'checkout-api', version: '1.9.3' },
] as const;

const deployInput = z.strictObject({
  service: z.string().min(1).default('storefront'),
  version: z.string().min(1),
  reason: z.string().optional(),
});

const rollbackInput = z.strictObject({ reason: z.string().optional() });

interface Deployment {
  id: string;
  service: string;
  version: string;
  previousVersion: string;
  status: 'deployed' | 'rolled_back';
  reason?: string;
  createdAt: string;
  rolledBackAt?: string;
}

/** Error rate (percent of 5xx answers) a service reports, and the most it may have to be healthy. */
const ERROR_RATE = { healthy: 0.2, unhealthy: 23.4, threshold: 5 };

/**
 * Releases: `POST /deployments` with `{ service?, version }` puts a version
 * live at once (201 `{ id, service, version, previousVersion, status:
 * "deployed" }`), `GET /deployments[?service=]`, `GET /deployments/:id`,
 * `POST /deployments/:id/rollback` puts the previous version back (only
 * the service's current deployment: 409 `deployment_superseded` otherwise;
 * rolling back twice changes nothing), and `GET /health[?service=]`, 200
 * when every service is healthy, else 503, with each one's checks. Health
 * follows the `unhealthy` and `unhealthyVersions` switches.
 */
export function deploymentsApi(state: SandboxState, switches: () => OpsSwitches) {
  const live = new Map<string, string>();
  const deployments: Deployment[] = [];
  const ids = new IdSequence('DEP');
  const seed = () => {
    live.clear();
    for (const service of SEEDED_SERVICES) live.set(service.name, service.version);
  };
  seed();
  const app = new Hono();

  app.post('/deployments', async (c) => {
    const body = await readBody(c, deployInput);
    if ('answer' in body) return body.answer;
    const { service, version, reason } = body.data;
    const previousVersion = live.get(service);
    if (previousVersion === undefined) {
      return opsError(
        c,
        422,
        'unknown_service',
        `No service "${service}"; known: ${[...live.keys()].join(', ')}`,
      );
    }
    const deployment: Deployment = {
      id: ids.take(),
      service,
      version,
      previousVersion,
      status: 'deployed',
      ...(reason ? { reason } : {}),
      createdAt: new Date().toISOString(),
    };
    deployments.push(deployment);
    live.set(service, version);
    state.effect('ops', 'deployment.created', deployment.id, { service, version, previousVersion });
    return c.json(deployment, 201);
  });

  app.get('/deployments', (c) => {
    const service = c.req.query('service');
    return c.json({
      deployments: [...deployments].reverse().filter((d) => !service || d.service === service),
    });
  });

  app.get('/deployments/:id', (c) => {
    const deployment = deployments.find((d) => d.id === c.req.param('id'));
    if (!deployment) return opsError(c, 404, 'deployment_not_found', `No deployment "${c.req.param('id')}"`);
    return c.json(deployment);
  });

  app.post('/deployments/:id/rollback', async (c) => {
    const body = await readOptionalBody(c, rollbackInput);
    if ('answer' in body) return body.answer;
    const deployment = deployments.find((d) => d.id === c.req.param('id'));
    if (!deployment) return opsError(c, 404, 'deployment_not_found', `No deployment "${c.req.param('id')}"`);
    if (deployment.status === 'rolled_back') return c.json(deployment);
    const current = deployments.findLast((d) => d.service === deployment.service && d.status === 'deployed');
    if (current !== deployment) {
      return opsError(
        c,
        409,
        'deployment_superseded',
        `${current?.id} is live on ${deployment.service} since; roll that one back first`,
      );
    }
    deployment.status = 'rolled_back';
    deployment.rolledBackAt = new Date().toISOString();
    if (body.data.reason) deployment.reason = body.data.reason;
    live.set(deployment.service, deployment.previousVersion);
    state.effect('ops', 'deployment.rolled_back', deployment.id, {
      service: deployment.service,
      from: deployment.version,
      to: deployment.previousVersion,
    });
    return c.json(deployment);
  });

  app.get('/health', (c) => {
    const only = c.req.query('service');
    if (only !== undefined && !live.has(only)) {
      return opsError(c, 404, 'service_not_found', `No service "${only}"`);
    }
    const { unhealthy, unhealthyVersions } = switches();
    const services = [...live]
      .filter(([name]) => only === undefined || name === only)
      .map(([name, version]) => {
        const healthy = !unhealthy && !unhealthyVersions.includes(version);
        const errorRate = healthy ? ERROR_RATE.healthy : ERROR_RATE.unhealthy;
        return {
          name,
          version,
          status: healthy ? 'healthy' : 'unhealthy',
          checks: [
            {
              name: 'http-error-rate',
              status: healthy ? 'pass' : 'fail',
              observedPercent: errorRate,
              thresholdPercent: ERROR_RATE.threshold,
            },
          ],
        };
      });
    const healthy = services.every((s) => s.status === 'healthy');
    return c.json(
      { status: healthy ? 'healthy' : 'unhealthy', services, checkedAt: new Date().toISOString() },
      healthy ? 200 : 503,
    );
  });

  return {
    app,
    reset() {
      seed();
      deployments.length = 0;
      ids.reset();
    },
  };
}
