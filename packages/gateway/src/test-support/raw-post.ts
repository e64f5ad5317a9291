import { type IncomingHttpHeaders, type OutgoingHttpHeaders, request } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A POST on a connection of its own (no pooled connection, so nothing
 * counted against a connection cap or reused after a close), resolved with
 * the whole answer. `body` is sent whole with its length; `opening` is
 * written without ending the request, for a body declared (in `headers`)
 * longer than what is ever sent.
 */
export function rawPost(
  url: string,
  headers: OutgoingHttpHeaders,
  send: { body: string } | { opening: string },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const sized =
      'body' in send ? { ...headers, 'content-length': String(Buffer.byteLength(send.body)) } : headers;
    const req = request(url, { method: 'POST', agent: false, headers: sized }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if ('body' in send) req.end(send.body);
    else req.write(send.opening);
  });
}
