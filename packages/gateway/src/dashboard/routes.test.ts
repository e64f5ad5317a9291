import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayFixture } from '../test-support/gateway-fixture';
import { json } from '../test-support/json';

type Fixture = Awaited<ReturnType<typeof gatewayFixture>>;

describe('the dashboard', () => {
  let gw: Fixture;
  beforeAll(async () => {
    gw = await gatewayFixture({ apiToken: 'admin-token-0123456789' });
  });
  afterAll(async () => gw.close());

  it('is where / leads', async () => {
    const res = await gw.app.request('/');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/dashboard');
  });

  it('answers every page address with the same data-free shell, without the token, under a strict CSP', async () => {
    const pages = [
      '/dashboard',
      '/dashboard/',
      '/dashboard/runs',
      '/dashboard/runs/run_x',
      '/dashboard/approvals',
      '/dashboard/flows/order',
      '/dashboard/flows/order/analytics',
    ];
    const bodies = new Set<string>();
    for (const path of pages) {
      const res = await gw.app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      bodies.add(await res.text());
    }
    expect(bodies.size).toBe(1);
    const shell = [...bodies][0]!;
    expect(shell).toContain('<script type="module" src="/dashboard/assets/app.js"></script>');
    expect(shell).toContain('<link rel="stylesheet" href="/dashboard/assets/app.css">');
    expect(shell).not.toMatch(/order|run_|shop/);
  });

  it('serves the browser bundle, bundled from the sources when the gateway runs from them', async () => {
    const js = await gw.app.request('/dashboard/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const code = await js.text();
    // The live stream is read with fetch, which can send the token; EventSource cannot.
    expect(code).toContain('/api/events');
    expect(code).toContain('sessionStorage');
    const etag = js.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await gw.app.request('/dashboard/assets/app.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);

    const css = await gw.app.request('/dashboard/assets/app.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain(':focus-visible');

    const missing = await gw.app.request('/dashboard/assets/secrets.txt');
    expect(missing.status).toBe(404);
    expect(((await json(missing)) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });
});
