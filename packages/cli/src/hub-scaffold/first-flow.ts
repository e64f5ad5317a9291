/** The source a new hub's config declares: your application, signing with Standard Webhooks. */
export const FIRST_SOURCE = {
  name: 'app',
  secretVariable: 'APP_WEBHOOK_SECRET',
  // whsec_ + base64: the Standard Webhooks secret format. A development value, like the rest of .env.example.
  secretValue: `whsec_${Buffer.from('baton-hub-app-development-secret').toString('base64')}`,
} as const;

/** The event the first flow starts from, and the data `events/alert-raised.json` holds. */
export const FIRST_EVENT = {
  type: 'alert.raised',
  file: 'events/alert-raised.json',
  data: { title: 'Checkout is slow', severity: 'warning', component: 'checkout' },
} as const;

/**
 * The first flow of a new hub, from the connectors it has: `http` opens an
 * alert in the sandbox's ops API, `slack` tells #ops (naming the alert when
 * both are there). Null when the hub has neither.
 */
export function firstFlow(connectors: readonly string[]): Record<string, unknown> | null {
  const http = connectors.includes('http');
  const slack = connectors.includes('slack');
  if (!http && !slack) return null;
  // A Standard Webhooks body is { type, timestamp, data }: the app's fields are under event.data.data.
  const field = (name: string) => `{{ event.data.data.${name} }}`;
  const steps: Record<string, unknown>[] = [];
  if (http) {
    steps.push({
      id: 'open',
      action: 'http.request',
      input: {
        method: 'POST',
        path: '/alerts',
        json: { title: field('title'), severity: field('severity'), component: field('component') },
      },
      retry: { maxAttempts: 3, initialInterval: '500ms' },
    });
  }
  if (slack) {
    const alert = http ? ' (alert {{ steps.open.output.body.id }})' : '';
    steps.push({
      id: 'tell-ops',
      action: 'slack.send-message',
      input: { channel: '#ops', text: `${field('severity')}: ${field('title')}${alert}` },
    });
  }
  return {
    $schema: '../node_modules/@baton/runtime/schemas/flow.schema.json',
    id: 'alert-raised',
    description: http
      ? 'For every alert the app raises: open it in the ops API, then tell #ops.'
      : 'For every alert the app raises: tell #ops.',
    trigger: { source: FIRST_SOURCE.name, event: FIRST_EVENT.type },
    steps,
    ...(http ? { output: { alert: '{{ steps.open.output.body.id }}' } } : {}),
  };
}
