import { afterEach, describe, expect, it } from 'vitest';
import { isBatonError } from '../errors/baton-error';
import { EgressBlockedError, HttpError } from '../errors/http-error';
import { TimeoutError } from '../errors/kinds';
import { createTestServer, type TestServer } from '../testing/test-server';
import { createHttpClient } from './create-http-client';

const loopback = { allow: ['loopback'] };
const servers: TestServer[] = [];
async function server(...args: Parameters<typeof createTestServer>) {
  const s = await createTestServer(...args);
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function failure(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

describe('createHttpClient', () => {
  it('uses the base URL, headers and basic auth', async () => {
    const s = await server(() => ({ json: { ok: true } }));
    const http = createHttpClient({
      baseURL: s.url,
      headers: { 'x-custom': 'yes' },
      auth: { username: 'key', password: 'x' },
      egress: loopback,
    });
    const { data } = await http.get('/things', { params: { page: 2 } });
    expect(data).toEqual({ ok: true });
    expect(s.requests[0]).toMatchObject({ path: '/things', query: { page: '2' } });
    expect(s.requests[0]?.headers['x-custom']).toBe('yes');
    expect(s.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('key:x').toString('base64')}`);
  });

  it('classifies 5xx as retryable and 4xx as not, without the body in the message', async () => {
    const s = await server((req) =>
      req.path === '/boom'
        ? { status: 502, json: { detail: 'upstream' } }
        : { status: 404, json: { detail: 'private-body' } },
    );
    const http = createHttpClient({ baseURL: s.url, egress: loopback });
    const boom = await failure(http.get('/boom'));
    expect(boom).toBeInstanceOf(HttpError);
    expect(boom).toMatchObject({ code: 'HTTP_502', retryable: true, status: 502 });
    const missing = (await failure(http.get('/missing'))) as HttpError;
    expect(missing).toMatchObject({ code: 'HTTP_404', retryable: false });
    expect(missing.message).toBe(`GET ${s.url}/missing failed: 404 Not Found`);
    expect(missing.message).not.toContain('private-body');
    expect(missing.response?.data).toEqual({ detail: 'private-body' });
  });

  it('honours Retry-After on 429', async () => {
    const s = await server(() => ({ status: 429, headers: { 'retry-after': '7' }, json: {} }));
    const http = createHttpClient({ baseURL: s.url, egress: loopback });
    expect(await failure(http.post('/x', {}))).toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      retryAfterMs: 7000,
    });
  });

  it('turns network failures into retryable errors', async () => {
    const s = await server();
    const url = s.url;
    await s.close();
    const http = createHttpClient({ baseURL: url, egress: loopback });
    expect(await failure(http.get('/'))).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
  });

  it('aborts with the signal as a retryable timeout', async () => {
    const s = await server(() => ({ delayMs: 2000, json: {} }));
    const http = createHttpClient({ baseURL: s.url, egress: loopback, signal: AbortSignal.timeout(50) });
    const error = await failure(http.get('/slow'));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(isBatonError(error) && error.retryable).toBe(true);
  });

  it('redacts auth headers, query secrets and basic credentials from errors', async () => {
    const secret = 'sk_test_abcdef123456';
    const s = await server(() => ({ status: 500, json: { echo: secret } }));
    const http = createHttpClient({
      baseURL: s.url,
      headers: { authorization: `Bearer ${secret}` },
      params: { api_key: secret },
      egress: loopback,
    });
    const error = (await failure(http.get('/x?token=abc123456'))) as HttpError;
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain('abc123456');
    expect(error.message).toContain('api_key=%5Bredacted%5D');
  });
});

describe('egress guard', () => {
  it.each([
    'http://127.0.0.1:9/',
    'http://[::1]:9/',
    'http://[::ffff:127.0.0.1]:9/',
    'http://[::127.0.0.1]:9/',
    'http://[64:ff9b::a9fe:a9fe]/latest/meta-data/',
    'http://[fec0::1]/',
    'http://[::]:9/',
    'http://2130706433:9/',
    'http://0x7f.1:9/',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/',
    'http://192.168.1.1/',
    'http://172.16.0.1/',
    'http://0.0.0.0:9/',
    'http://[fd00:ec2::254]/',
  ])('refuses %s by default', async (url) => {
    const http = createHttpClient({});
    const error = await failure(http.get(url));
    expect(error).toBeInstanceOf(EgressBlockedError);
    expect(error).toMatchObject({ code: 'EGRESS_BLOCKED', retryable: false });
  });

  it('refuses every spelling of a real loopback server, IPv6 forms and WHATWG-normalised IPv4 forms alike', async () => {
    const s = await server(() => ({ json: { reached: true } }));
    const port = new URL(s.url).port;
    const hosts = [
      '2130706433', // decimal
      '0x7f.1', // hex, short form
      '0177.0.0.1', // octal
      '127.1',
      '[::ffff:127.0.0.1]',
      '[::ffff:7f00:1]',
      '[::127.0.0.1]',
      '[::7f00:1]',
      '[64:ff9b::127.0.0.1]',
      '[2002:7f00:1::]',
      '[0:0:0:0:0:ffff:127.0.0.1]',
    ];
    const http = createHttpClient({});
    for (const host of hosts) {
      const error = await failure(http.get(`http://${host}:${port}/`));
      expect(error, host).toBeInstanceOf(EgressBlockedError);
    }
    expect(s.requests).toHaveLength(0);
    // The IPv4-mapped form is that very server: allowed with loopback, it is reached.
    const allowed = createHttpClient({ egress: loopback });
    await expect(allowed.get(`http://[::ffff:127.0.0.1]:${port}/`)).resolves.toMatchObject({
      data: { reached: true },
    });
  });

  it.each([
    ['http://127.0.0.1:9/', 'loopback'],
    ['http://[::ffff:127.0.0.1]:9/', 'loopback'],
    ['http://10.0.0.1/', 'private'],
    ['http://169.254.169.254/latest/', '169.254.169.254'],
  ])('names the egress.allow entry that would let %s through', async (url, allow) => {
    const error = await failure(createHttpClient({}).get(url));
    expect(error).toMatchObject({ code: 'EGRESS_BLOCKED', details: { allow } });
    expect((error as Error).message).toContain(`"egress": { "allow": ["${allow}"] }`);
  });

  it('checks the resolved address, so a name pointing at loopback is refused', async () => {
    const s = await server();
    const http = createHttpClient({});
    const error = await failure(http.get(s.url.replace('127.0.0.1', 'localhost')));
    expect(error).toBeInstanceOf(EgressBlockedError);
    expect(s.requests).toHaveLength(0);
  });

  it('lets through hosts the policy allows, by name, address or range', async () => {
    const s = await server(() => ({ json: { ok: 1 } }));
    const port = new URL(s.url).port;
    for (const allow of [['localhost'], ['127.0.0.1'], ['127.0.0.0/8'], ['loopback']]) {
      const http = createHttpClient({ egress: { allow } });
      const target = allow[0] === 'localhost' ? `http://localhost:${port}/` : `${s.url}/`;
      await expect(http.get(target)).resolves.toMatchObject({ status: 200 });
    }
  });

  it('checks redirect targets too', async () => {
    const s = await server(() => ({ status: 302, headers: { location: 'http://169.254.169.254/latest' } }));
    const http = createHttpClient({ baseURL: s.url, egress: loopback });
    expect(await failure(http.get('/go'))).toMatchObject({ code: 'EGRESS_BLOCKED' });
  });

  it('refuses cross-origin redirects while credentials are set', async () => {
    const other = await server(() => ({ json: { stolen: true } }));
    const s = await server(() => ({
      status: 307,
      headers: { location: `${other.url.replace('127.0.0.1', 'localhost')}/x` },
    }));
    const http = createHttpClient({
      baseURL: s.url,
      headers: { authorization: 'Bearer secret-token-1' },
      egress: { allow: ['loopback', 'localhost'] },
    });
    expect(await failure(http.get('/go'))).toMatchObject({ code: 'REDIRECT_BLOCKED', retryable: false });
    expect(other.requests).toHaveLength(0);
  });

  it('follows same-origin redirects', async () => {
    const s = await server((req) =>
      req.path === '/old' ? { status: 301, headers: { location: '/new' } } : { json: { at: req.path } },
    );
    const http = createHttpClient({
      baseURL: s.url,
      headers: { authorization: 'Bearer t0k3n-abc' },
      egress: loopback,
    });
    expect((await http.get('/old')).data).toEqual({ at: '/new' });
  });
});
