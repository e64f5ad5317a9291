import type { MiddlewareHandler } from 'hono';
import type { FaultPlan, SandboxState } from './state';
import type { SandboxSystem } from './system';

/**
 * Answers in place of a system when a fault is planned for it, or when its
 * rate limit or a pause refuses the request (see `limits/`), and records
 * every request in the ledger either way. Faults come first: a request a
 * fault answers never reached the provider, so its limit does not count it.
 */
export function faultsAndLedger(
  { name: system, errorBody = defaultErrorBody }: Pick<SandboxSystem, 'name' | 'errorBody'>,
  state: SandboxState,
): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    const traceparent = c.req.raw.headers.get('traceparent');
    const base = {
      system,
      method: c.req.method,
      path: url.pathname,
      ...(idempotencyKey(c.req.raw.headers) ? { idempotencyKey: idempotencyKey(c.req.raw.headers)! } : {}),
      ...(traceparent ? { traceparent } : {}),
    };
    const plan = state.faults.get(system);
    if (plan && applies(plan, c.req.method, url.pathname)) {
      if (plan.latencyMs) await new Promise((r) => setTimeout(r, plan.latencyMs));
      if (plan.hang) {
        await new Promise<void>((resolve) => {
          const forget = state.holdHanging(resolve);
          c.req.raw.signal.addEventListener('abort', () => {
            forget();
            resolve();
          });
        });
        state.recordRequest({ ...base, status: 504, fault: 'hang' });
        return c.json({ error: { message: 'sandbox: request was held by a hang fault' } }, 504);
      }
      const forced = nextFault(plan);
      if (forced) {
        state.recordRequest({ ...base, status: forced.status, fault: forced.kind });
        if (forced.retryAfter !== undefined) c.header('Retry-After', String(forced.retryAfter));
        return c.json(
          { error: { type: 'sandbox_fault', message: `sandbox: injected ${forced.kind} ${forced.status}` } },
          forced.status as 500,
        );
      }
    }
    const admission = state.limits.admit(system);
    if (!admission.admitted) {
      state.recordRequest({ ...base, status: admission.status, fault: admission.reason });
      for (const [name, value] of Object.entries(admission.headers)) c.header(name, value);
      return c.json(errorBody(admission.status, admission.message), admission.status);
    }
    await next();
    for (const [name, value] of Object.entries(admission.headers)) c.header(name, value);
    state.recordRequest({ ...base, status: c.res.status });
  };
}

function defaultErrorBody(status: 429 | 503, message: string): unknown {
  return { error: { type: status === 429 ? 'rate_limited' : 'service_unavailable', message } };
}

function applies(plan: FaultPlan, method: string, path: string): boolean {
  if (plan.method && plan.method.toUpperCase() !== method.toUpperCase()) return false;
  if (plan.pathIncludes && !path.includes(plan.pathIncludes)) return false;
  return true;
}

function nextFault(plan: FaultPlan): { status: number; kind: string; retryAfter?: number } | undefined {
  if (plan.statuses && plan.statuses.length > 0) {
    const status = plan.statuses.shift()!;
    if (status < 400) return undefined; // a 2xx in the sequence lets that request through
    return { status, kind: 'status-sequence', ...(status === 429 ? { retryAfter: 1 } : {}) };
  }
  if (plan.rateLimit && (plan.rateLimit.count === undefined || plan.rateLimit.count > 0)) {
    if (plan.rateLimit.count !== undefined) plan.rateLimit.count -= 1;
    return { status: 429, kind: 'rate-limit', retryAfter: plan.rateLimit.retryAfter };
  }
  if (plan.errorRate && Math.random() < plan.errorRate) {
    return { status: plan.errorStatus ?? 500, kind: 'error-rate' };
  }
  return undefined;
}

function idempotencyKey(headers: Headers): string | undefined {
  return headers.get('idempotency-key') ?? headers.get('x-idempotency-key') ?? undefined;
}
