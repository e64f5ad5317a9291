import { Hono } from 'hono';
import { defineSystem } from '../system';
import { alertsApi } from './ops/alerts';
import { backupsApi } from './ops/backups';
import { hardwareApi } from './ops/hardware';
import { idempotency } from './ops/idempotency';
import { lmsApi } from './ops/lms';
import { trafficApi } from './ops/traffic';

/**
 * The company's internal systems, which flows reach through the HTTP
 * connector: hardware orders (`/ops/hardware`), training (`/ops/lms`),
 * database backups (`/ops/backups`), traffic management (`/ops/traffic`),
 * alerts and the status page (`/ops/alerts`, `/ops/status`). Small JSON
 * APIs with `{ error: { code, message } }` errors; every `POST` honours
 * `Idempotency-Key`.
 */
export const opsSystem = defineSystem({
  name: 'ops',
  prefix: '/ops',
  description: 'Internal ops APIs: hardware orders, training, backups, traffic, alerts and status page',
  create(state) {
    const keys = idempotency();
    const hardware = hardwareApi(state);
    const lms = lmsApi(state);
    const backups = backupsApi(state);
    const traffic = trafficApi(state);
    const alerts = alertsApi(state);
    state.onReset(() => {
      keys.reset();
      for (const api of [hardware, lms, backups, traffic, alerts]) api.reset();
    });
    const app = new Hono();
    app.use('*', keys.middleware);
    app.route('/hardware', hardware.app);
    app.route('/lms', lms.app);
    app.route('/backups', backups.app);
    app.route('/traffic', traffic.app);
    app.route('/', alerts.app);
    // Last, so it answers only what no route above did, in the ops error shape.
    app.all('*', (c) =>
      c.json({ error: { code: 'not_found', message: `No route ${c.req.method} ${c.req.path}` } }, 404),
    );
    return app;
  },
});
