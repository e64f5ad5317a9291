import type { Server } from 'node:http';

/** How often idle connections are closed while requests in progress finish. */
const SWEEP_MS = 100;

/**
 * Stops taking connections, lets the requests in progress finish within
 * `graceMs`, then destroys every connection left, so that nothing a client
 * does (a body sent a byte at a time, a request never finished) can hold
 * the shutdown open: once `close()` begins Node no longer checks its header
 * and request timeouts, and waits for every connection to end.
 */
export function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    // A keep-alive connection whose request is answered during the grace stays
    // open (Node does not close it after the answer): close it once it is idle.
    const sweep = setInterval(() => server.closeIdleConnections(), SWEEP_MS);
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(cut);
      resolve();
    });
  });
}
