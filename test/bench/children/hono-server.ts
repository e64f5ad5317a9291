/**
 * The ingest baselines: a bare Hono app on @hono/node-server that reads and
 * parses the body and answers 202, and (`xadd`) the same doing one Redis
 * XADD of the body before answering, with the same client settings as
 * Baton's state connection (auto-pipelining). Prints `listening <port>`.
 *
 * argv[2]: `bare` or `xadd`; argv[3]: the Redis URL; argv[4]: the stream key.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Redis } from 'ioredis';

const [mode = 'bare', url = 'redis://127.0.0.1:6379', stream = 'bench:stream'] = process.argv.slice(2);
const redis = mode === 'xadd' ? new Redis(url, { enableAutoPipelining: true }) : undefined;

const app = new Hono();
app.post('/webhooks/:source', async (c) => {
  const text = await c.req.text();
  const body = JSON.parse(text) as { type?: string };
  if (redis) await redis.xadd(stream, '*', 'type', body.type ?? '', 'body', text);
  return c.json({ accepted: true }, 202);
});

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  console.log(`listening ${info.port}`);
});
process.on('SIGTERM', () => {
  server.close();
  redis?.disconnect();
  process.exit(0);
});
