import { Webhook } from 'standardwebhooks';

/** One answer the gateway gave, with when its request was sent. */
export interface Answer {
  route: string;
  sentAt: number;
  /** 0 when no HTTP answer came (the connection failed or timed out). */
  status: number;
  retryAfter: string | null;
  code: string | undefined;
}

/** A request the traffic sends: its route label and how to make it. */
export interface TrafficRequest {
  route: string;
  make(): { path: string; init: RequestInit };
}

/** A signed Standard Webhooks `order.created` delivery to `/webhooks/<source>`, fresh id each time. */
export function signedWebhook(source: string, secret: string, label: string): TrafficRequest {
  const signer = new Webhook(secret);
  let seq = 0;
  return {
    route: `POST /webhooks/${source}`,
    make() {
      const id = `${label}-${++seq}`;
      const body = JSON.stringify({ type: 'order.created', data: { seq } });
      // One instant for the signature and its header: two reads of the clock can straddle a second.
      const at = new Date();
      const signature = signer.sign(id, at, body);
      const headers = {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': signature,
      };
      return { path: `/webhooks/${source}`, init: { method: 'POST', body, headers } };
    },
  };
}

/** An admin API request (JSON body when given). */
export function apiRequest(method: string, path: string, body?: unknown): TrafficRequest {
  return {
    route: `${method} ${path}`,
    make: () => ({
      path,
      init: {
        method,
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      },
    }),
  };
}

/** Sends one request and records its answer; never throws. */
export async function send(baseUrl: string, request: TrafficRequest): Promise<Answer> {
  const { path, init } = request.make();
  const sentAt = Date.now();
  try {
    const response = await fetch(`${baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    let code: string | undefined;
    try {
      code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
    } catch {
      // Not JSON (the metrics text, say): no error code.
    }
    return {
      route: request.route,
      sentAt,
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      code,
    };
  } catch {
    return { route: request.route, sentAt, status: 0, retryAfter: null, code: undefined };
  }
}

/**
 * Loops, one per request kind, each sending its request again as soon as
 * the last was answered (a short pause after a refusal), until stopped.
 */
export function steadyTraffic(baseUrl: string, requests: readonly TrafficRequest[]) {
  const answers: Answer[] = [];
  let running = true;
  const loops = requests.map(async (request) => {
    while (running) {
      const answer = await send(baseUrl, request);
      answers.push(answer);
      if (answer.status >= 400 || answer.status === 0) await new Promise((r) => setTimeout(r, 10));
    }
  });
  return {
    answers,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}
