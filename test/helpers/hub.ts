import {
  type Backend,
  type CloudEvent,
  compileFlow,
  createEmbeddedBackend,
  createEngine,
  type Engine,
  type EngineEvent,
  type EngineLogger,
  type Flow,
  flowSchema,
} from '@baton/runtime';
import type { Connector } from '@baton/sdk';
import { type ConnectorInstance, createConnectorInstance } from '@baton/sdk/host';

/** A backend under test and how to make and dispose of one. */
export interface BackendFactory {
  name: string;
  create(): Promise<Backend>;
}

export const embedded: BackendFactory = {
  name: 'embedded',
  create: async () => createEmbeddedBackend(),
};

export interface TestHubOptions {
  backend: Backend;
  connectors: Record<
    string,
    {
      connector: Connector;
      config?: unknown;
      breaker?: { failureThreshold?: number; resetAfter?: string };
      limits?: {
        rate?: { requests: number; per: string } | false;
        concurrency?: number | false;
        maxPause?: string;
      };
    }
  >;
  flows: unknown[];
  concurrency?: number;
  log?: EngineLogger;
}

export interface TestHub {
  engine: Engine;
  events: EngineEvent[];
  /** Dispatches an event and waits for every run it started to end. */
  fire(
    event: Partial<CloudEvent> & { type: string; source: string },
  ): Promise<Awaited<ReturnType<Engine['dispatch']>>>;
  close(): Promise<void>;
}

/** An engine with a worker over `backend`, running the given flows and connectors. */
export function testHub(options: TestHubOptions): TestHub {
  const instances = new Map<string, ConnectorInstance>();
  for (const [name, entry] of Object.entries(options.connectors)) {
    instances.set(
      name,
      createConnectorInstance(entry.connector, entry.config ?? {}, { name, egress: { allow: ['loopback'] } }),
    );
  }
  const flows = options.flows.map((raw) => compileFlow(flowSchema.parse(raw) as Flow));
  const engine = createEngine({
    flows,
    instances,
    backend: options.backend,
    ...(options.log ? { log: options.log } : {}),
    breakers: Object.fromEntries(Object.entries(options.connectors).map(([name, e]) => [name, e.breaker])),
    limits: Object.fromEntries(Object.entries(options.connectors).map(([name, e]) => [name, e.limits])),
  });
  const events: EngineEvent[] = [];
  engine.on((event) => events.push(event));
  engine.startWorker({ concurrency: options.concurrency ?? 8 });
  let seq = 0;
  return {
    engine,
    events,
    async fire(partial) {
      const event: CloudEvent = {
        specversion: '1.0',
        id: partial.id ?? `evt-${Date.now()}-${++seq}`,
        time: partial.time ?? new Date().toISOString(),
        data: partial.data ?? {},
        source: partial.source,
        type: partial.type,
      };
      return engine.dispatch(event);
    },
    async close() {
      await engine.stop({ drainMs: 2000 });
      await options.backend.close();
    },
  };
}
