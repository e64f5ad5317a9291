import { Hono } from 'hono';
import { defineSystem } from '../system';
import { alertsApi } from './ops/alerts';
import { backupsApi } from './ops/backups';
import { deploymentsApi } from './ops/deployments';
import { hardwareApi } from './ops/hardware';
import { idempotency } from './ops/idempotency';
import { itemsApi } from './ops/items';
import { lmsApi } from './ops/lms';
import { resetTokensApi } from './ops/reset-tokens';
import { opsSwitches } from './ops/switches';
import { trafficApi } from './ops/traffic';

/**
 * The company's internal systems, which flows reach through the HTTP
 * connector: hardware orders (`/ops/hardware`), training (`/ops/lms`),
 * database backups (`/ops/backups`), traffic and capacity across regions
 * (`/ops/traffic`), releases and health (`/ops/deployments`,
 * `/ops/health`), password resets (`/ops/users/:id/reset-tokens`), alerts
 * and the status page (`/ops/alerts`, `/ops/status`), and the plain items
 * API a freshly scaffolded connector calls (`/ops/items`). Small JSON APIs with
 * `{ error: { code, message } }` errors; every `POST` honours
 * `Idempotency-Key`. `PUT /_sandbox/ops/switches` makes releases unhealthy
 * or scaling fail on purpose.
 */
export const opsSystem = defineSystem({
  name: 'ops',
  prefix: '/ops',
  description:
    'Internal ops APIs: hardware orders, training, backups, traffic and scaling, deployments and health, password resets, alerts and status page, items',
  errorBody: (status, message) => ({
    error: { code: status === 429 ? 'rate_limited' : 'service_unavailable', message },
  }),
  create(state, control) {
    const keys = idempotency();
    const switches = opsSwitches();
    const hardware = hardwareApi(state);
    const lms = lmsApi(state);
    const backups = backupsApi(state);
    const traffic = trafficApi(state, switches.get);
    const deployments = deploymentsApi(state, switches.get);
    const resetTokens = resetTokensApi(state);
    const alerts = alertsApi(state);
    const items = itemsApi(state);
    state.onReset(() => {
      keys.reset();
      for (const api of [switches, hardware, lms, backups, traffic, deployments, resetTokens, alerts, items])
        api.reset();
    });
    control.route('/', switches.control);
    const app = new Hono();
    app.use('*', keys.middleware);
    app.route('/hardware', hardware.app);
    app.route('/lms', lms.app);
    app.route('/backups', backups.app);
    app.route('/traffic', traffic.app);
    app.route('/items', items.app);
    app.route('/', deployments.app);
    app.route('/', resetTokens.app);
    app.route('/', alerts.app);
    // Last, so it answers only what no route above did, in the ops error shape.
    app.all('*', (c) =>
      c.json({ error: { code: 'not_found', message: `No route ${c.req.method} ${c.req.path}` } }, 404),
    );
    return app;
  },
});
