/**
 * The admin API's answers as the dashboard reads them. They mirror the
 * gateway's zod schemas (src/api/schemas.ts, src/api/hub-schemas.ts); the
 * browser code keeps its own copy so that it never pulls server modules
 * into the bundle.
 */

export type RunStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'compensated';
export type TriggerKind = 'webhook' | 'schedule' | 'manual' | 'replay';

export const RUN_STATUSES: readonly RunStatus[] = [
  'queued',
  'running',
  'waiting',
  'succeeded',
  'failed',
  'cancelled',
];
export const TERMINAL: ReadonlySet<RunStatus> = new Set(['succeeded', 'failed', 'cancelled']);

export interface RunError {
  name: string;
  code: string;
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
  details?: Record<string, unknown>;
}

export interface Attempt {
  action: string;
  /** 0 for the step's own action, n for its n-th fallback. */
  route: number;
  item?: number;
  startedAt: string;
  endedAt: string;
  error: RunError | null;
}

export interface Step {
  id: string;
  phase: 'main' | 'onFailure';
  status: StepStatus;
  attempts: Attempt[];
  input?: unknown;
  output: unknown;
  error: RunError | null;
  servedBy?: string;
  startedAt: string | null;
  endedAt: string | null;
  wakeAt?: string;
  skipReason?: string;
  reused?: boolean;
  items?: { total: number; succeeded: number; failed: number };
  compensation?: {
    status: 'running' | 'succeeded' | 'failed';
    action: string;
    attempts: Attempt[];
    error?: RunError;
  };
}

export interface Run {
  id: string;
  flow: string;
  status: RunStatus;
  phase: 'main' | 'compensating' | 'onFailure' | 'done';
  trigger: TriggerKind;
  event: { id: string; source: string; type: string; time: string; data: unknown };
  steps: Step[];
  output: unknown;
  error: RunError | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  replayOf?: string;
  audit: Array<{ action: string; actor: string; at: string; detail?: string }>;
}

export interface RunSummary {
  id: string;
  flow: string;
  status: RunStatus;
  trigger: TriggerKind;
  eventId: string;
  eventType: string;
  createdAt: string;
  endedAt: string | null;
  error: RunError | null;
  replayOf?: string;
}

export interface RunsPage {
  runs: RunSummary[];
  next: string | null;
}

/** A flow file's JSON, read loosely: the dashboard draws what it finds. */
export interface FlowDefinition {
  id: string;
  name?: string;
  description?: string;
  trigger?: { source?: string; event?: string; if?: string | boolean; schedule?: string; timezone?: string };
  steps: StepDefinition[];
  onFailure?: StepDefinition[];
}

export interface RouteDefinition {
  action: string;
  input?: unknown;
}

export interface StepDefinition {
  id: string;
  action?: string;
  needs?: string[];
  if?: string | boolean;
  delay?: string | { until: string };
  forEach?: string | unknown[];
  concurrency?: number;
  retry?: { maxAttempts?: number };
  timeout?: string;
  continueOnError?: boolean;
  fallback?: RouteDefinition[];
  compensate?: RouteDefinition;
}

export interface FlowSummary {
  id: string;
  name: string | null;
  description: string | null;
  trigger: FlowDefinition['trigger'] | null;
  steps: number;
  file: string | null;
}

export interface FlowDetail {
  id: string;
  file: string | null;
  definition: FlowDefinition;
  graph: string;
}

export interface Connector {
  name: string;
  use: string;
  connector: string;
  version: string | null;
  description: string | null;
  actions: Array<{ name: string; description: string | null }>;
  breaker: { state: 'closed' | 'open' | 'half-open'; failures: number; openedAt: string | null };
}

export interface HubStatus {
  backend: { name: 'embedded' | 'redis'; durable: boolean; reachable: boolean; error: string | null };
  queue: { waiting: number; delayed: number; active: number } | null;
  runs: Record<RunStatus, number> | null;
  draining: boolean;
}

export interface WebhookActivity {
  from: string;
  to: string;
  windowMinutes: number;
  sources: Array<{
    source: string;
    total: number;
    outcomes: Record<string, number>;
    minutes: Array<{ at: string; outcomes: Record<string, number> }>;
  }>;
}

export interface Diagnostic {
  file: string;
  path: string;
  line: number;
  col: number;
  pointer: string;
  code: string;
  message: string;
}

export interface FlowFileReport {
  file: string;
  path: string;
  id: string | null;
  loaded: boolean;
  definition: FlowDefinition | null;
  diagnostics: Diagnostic[];
}

export interface HubDiagnostics {
  checkedAt: string;
  valid: boolean;
  config: { file: string; path: string; diagnostics: Diagnostic[] };
  flows: FlowFileReport[];
}
