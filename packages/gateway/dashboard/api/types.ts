/**
 * The admin API's answers as the dashboard reads them: inferred from the
 * gateway's zod schemas (src/api/schemas.ts, src/api/hub-schemas.ts), so
 * the two cannot drift. The imports are type-only: no server module gets
 * into the browser bundle. Where the API says `unknown` (a flow file's
 * JSON), the dashboard's own reading of it is declared here.
 */
import type { z } from '@hono/zod-openapi';
import type * as analytics from '../../src/api/analytics-schemas';
import type * as connectors from '../../src/api/connector-schemas';
import type * as failures from '../../src/api/failure-schemas';
import type * as hub from '../../src/api/hub-schemas';
import type * as api from '../../src/api/schemas';

export type Run = z.infer<typeof api.Run>;
export type RunSummary = z.infer<typeof api.RunSummary>;
export type RunsPage = z.infer<typeof api.RunsPage>;
/** `GET /api/runs/failures`: retained failed and cancelled runs by flow, status and error code. */
export type FailureGroups = z.infer<typeof failures.FailureGroups>;
/** `GET /api/flows/:id/analytics`: a flow's figures over a window. */
export type FlowAnalytics = z.infer<typeof analytics.FlowAnalytics>;
export type StepAnalytics = FlowAnalytics['steps'][number];
export type DurationPercentile = NonNullable<FlowAnalytics['duration']['p50']>;
export type Step = Run['steps'][number];
export type Attempt = Step['attempts'][number];
export type RunError = NonNullable<Run['error']>;
export type RunStatus = Run['status'];
export type StepStatus = Step['status'];
export type TriggerKind = Run['trigger'];
/** What a wait step waits for, once it started waiting (kept after it ended). */
export type StepWait = NonNullable<Step['wait']>;
/** What an approval step asks, once it started waiting (kept after it ended). */
export type StepApproval = NonNullable<Step['approval']>;
export type AuditEntry = Run['audit'][number];

/** An approval step's output once decided (the API types outputs as `unknown`). */
export interface ApprovalDecision {
  decision: 'approve' | 'reject';
  by: string;
  comment?: string;
  at: string;
}

export const RUN_STATUSES: readonly RunStatus[] = [
  'queued',
  'running',
  'waiting',
  'succeeded',
  'failed',
  'cancelled',
];
export const TERMINAL: ReadonlySet<RunStatus> = new Set(['succeeded', 'failed', 'cancelled']);

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
  wait?: { source?: string; event?: string; key?: string };
  approval?: { title?: string; details?: string };
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

export type Connector = z.infer<typeof api.ConnectorInfo>;
export type ConnectorHealth = z.infer<typeof connectors.ConnectorHealth>;
export type CredentialState = z.infer<typeof connectors.CredentialState>;

export type HubStatus = z.infer<typeof hub.HubStatus>;

export type WebhookActivity = z.infer<typeof hub.WebhookActivity>;

export type Diagnostic = z.infer<typeof hub.HubDiagnostics>['config']['diagnostics'][number];

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
