import { api } from './client';
import type { Run } from './types';

/** What an approver sends: the decision, and optionally who they are and why. */
export interface DecisionInput {
  decision: 'approve' | 'reject';
  /** Empty: the API records the dashboard's actor (`dashboard`). */
  by: string;
  comment: string;
}

/**
 * Decides an approval step through `POST /api/runs/:id/steps/:step/decision`
 * and answers the run with the decided step. A step that stopped waiting
 * meanwhile (someone decided first, it timed out, the run was cancelled)
 * throws an ApiError with status 409 and code `STEP_NOT_WAITING`.
 */
export function decideStep(runId: string, stepId: string, input: DecisionInput): Promise<Run> {
  const by = input.by.trim();
  const comment = input.comment.trim();
  return api<Run>(`/runs/${encodeURIComponent(runId)}/steps/${encodeURIComponent(stepId)}/decision`, {
    method: 'POST',
    body: { decision: input.decision, ...(by ? { by } : {}), ...(comment ? { comment } : {}) },
  });
}

const NAME_KEY = 'baton.approverName';
const nameListeners = new Set<() => void>();
/** Where the name lives when localStorage is unavailable: this page only. */
let nameInMemory = '';

/**
 * The name an approver gave, kept in localStorage so that it is offered
 * again in every tab and after the browser restarts, and shared by every
 * decision form on the page. It is not a secret: it only says who decided
 * in the run's audit trail.
 */
export const approverName = {
  get(): string {
    try {
      return localStorage.getItem(NAME_KEY) ?? '';
    } catch {
      // Storage can be disabled by the browser's privacy settings: the name then lasts for this page.
      return nameInMemory;
    }
  },
  set(name: string): void {
    nameInMemory = name;
    try {
      if (name) localStorage.setItem(NAME_KEY, name);
      else localStorage.removeItem(NAME_KEY);
    } catch {
      // Kept in memory only (see get()).
    }
    for (const listener of nameListeners) listener();
  },
  subscribe(listener: () => void): () => void {
    nameListeners.add(listener);
    return () => nameListeners.delete(listener);
  },
};
