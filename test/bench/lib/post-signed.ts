import { Agent, request } from 'node:http';
import { orderBody, signedHeaders } from './sign';

/**
 * Posts `count` signed Standard Webhooks of `eventType` to `url`, at most
 * `inFlight` at once over keep-alive connections, each under a fresh id
 * (signed before the first is sent, so signing is not in the way).
 * Resolves with how many were accepted (2xx) and how many were not.
 */
export async function postSigned(options: {
  url: string;
  count: number;
  inFlight: number;
  eventType: string;
  bodyBytes: number;
}): Promise<{ accepted: number; failed: number }> {
  const body = orderBody(options.eventType, options.bodyBytes);
  const length = Buffer.byteLength(body);
  const signed = Array.from({ length: options.count }, () => signedHeaders(body));
  const agent = new Agent({ keepAlive: true, maxSockets: options.inFlight });
  const target = new URL(options.url);
  let accepted = 0;
  let failed = 0;
  const send = (headers: Record<string, string>) =>
    new Promise<void>((resolve) => {
      const req = request(
        target,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': length, ...headers },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== undefined && res.statusCode < 300) accepted += 1;
            else failed += 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        failed += 1;
        resolve();
      });
      req.end(body);
    });
  let next = 0;
  const lane = async () => {
    while (next < signed.length) await send(signed[next++]!);
  };
  try {
    await Promise.all(Array.from({ length: options.inFlight }, lane));
  } finally {
    agent.destroy();
  }
  return { accepted, failed };
}
