import { connect, type Socket } from 'node:net';

/**
 * A client on a bare TCP socket, for what a well-behaved HTTP client will
 * not do: send headers that never end, a body a byte at a time, or hold a
 * connection open doing nothing.
 */
export interface RawClient {
  socket: Socket;
  /** Writes and resolves once the bytes are handed to the kernel. */
  write(data: string | Buffer): Promise<void>;
  /** Writes one byte every `everyMs` until the connection closes or `stop` is called. */
  trickle(everyMs: number): { stop(): void };
  /** Everything the server sent so far. */
  received(): string;
  /** Resolves with everything the server sent once the connection is closed. */
  closed: Promise<string>;
  /** Resolves with the first full response (head and, by its Content-Length, body). */
  response(): Promise<{ status: number; head: string; body: string }>;
}

/** Opens a connection to 127.0.0.1:`port`. */
export function rawClient(port: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const waiting = new Set<() => void>();
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      for (const check of waiting) check();
    });
    // A reset is one way for the server to close; the test reads `closed` either way.
    socket.on('error', () => {});
    const closed = new Promise<string>((done) =>
      socket.once('close', () => {
        for (const check of waiting) check();
        done(received);
      }),
    );
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve({
        socket,
        write: (data) =>
          new Promise((written, failed) =>
            socket.write(data, (error) => (error ? failed(error) : written())),
          ),
        trickle(everyMs) {
          const timer = setInterval(() => {
            if (socket.destroyed || !socket.writable) clearInterval(timer);
            else socket.write('a');
          }, everyMs);
          socket.once('close', () => clearInterval(timer));
          return { stop: () => clearInterval(timer) };
        },
        received: () => received,
        closed,
        response: () =>
          new Promise((answer, fail) => {
            const check = () => {
              const end = received.indexOf('\r\n\r\n');
              if (end >= 0) {
                const head = received.slice(0, end);
                const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
                const body = received.slice(end + 4);
                if (body.length >= length) {
                  waiting.delete(check);
                  answer({ status: Number(head.split(' ')[1]), head, body: body.slice(0, length) });
                  return;
                }
              }
              if (socket.destroyed) {
                waiting.delete(check);
                fail(new Error(`the connection closed without a full response: ${JSON.stringify(received)}`));
              }
            };
            waiting.add(check);
            check();
          }),
      });
    });
    socket.once('error', reject);
  });
}

/** `promise`, or a rejection naming `what` after `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
    }),
  ]);
}
