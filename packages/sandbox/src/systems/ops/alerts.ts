import { Hono } from 'hono';
import { z } from 'zod';
import type { SandboxState } from '../../state';
import { IdSequence, opsError, readBody } from './http';

const alertInput = z.strictObject({
  title: z.string().min(1),
  severity: z.enum(['info', 'warning', 'critical']).default('warning'),
  message: z.string().optional(),
  component: z.string().optional(),
  /** Shown on the public status page as well as paged to on-call. */
  public: z.boolean().default(false),
});

interface Alert {
  id: string;
  status: 'open' | 'resolved';
  title: string;
  severity: 'info' | 'warning' | 'critical';
  message?: string;
  component?: string;
  public: boolean;
  createdAt: string;
  resolvedAt?: string;
}

/**
 * Alerting and the status page: `POST /alerts` opens an alert (on the
 * status page when `public`), `POST /alerts/:id/resolve`, `GET /alerts`,
 * `GET /alerts/:id`, and `GET /status` (what the status page shows).
 */
export function alertsApi(state: SandboxState) {
  const alerts = new Map<string, Alert>();
  const ids = new IdSequence('ALT');
  const app = new Hono();

  app.post('/alerts', async (c) => {
    const body = await readBody(c, alertInput);
    if ('answer' in body) return body.answer;
    const { message, component, ...rest } = body.data;
    const alert: Alert = {
      id: ids.take(),
      status: 'open',
      ...rest,
      ...(message ? { message } : {}),
      ...(component ? { component } : {}),
      createdAt: new Date().toISOString(),
    };
    alerts.set(alert.id, alert);
    state.effect('ops', 'alert.created', alert.id, { title: alert.title, severity: alert.severity });
    return c.json(alert, 201);
  });

  app.post('/alerts/:id/resolve', (c) => {
    const alert = alerts.get(c.req.param('id'));
    if (!alert) return opsError(c, 404, 'alert_not_found', `No alert "${c.req.param('id')}"`);
    if (alert.status === 'open') {
      alert.status = 'resolved';
      alert.resolvedAt = new Date().toISOString();
      state.effect('ops', 'alert.resolved', alert.id);
    }
    return c.json(alert);
  });

  app.get('/alerts', (c) => {
    const status = c.req.query('status');
    return c.json({ alerts: [...alerts.values()].filter((a) => !status || a.status === status) });
  });

  app.get('/alerts/:id', (c) => {
    const alert = alerts.get(c.req.param('id'));
    if (!alert) return opsError(c, 404, 'alert_not_found', `No alert "${c.req.param('id')}"`);
    return c.json(alert);
  });

  app.get('/status', (c) => {
    const incidents = [...alerts.values()].filter((a) => a.public && a.status === 'open');
    const worst = incidents.some((a) => a.severity === 'critical')
      ? 'major_outage'
      : incidents.length > 0
        ? 'degraded_performance'
        : 'operational';
    return c.json({ status: worst, incidents });
  });

  return {
    app,
    reset() {
      alerts.clear();
      ids.reset();
    },
  };
}
