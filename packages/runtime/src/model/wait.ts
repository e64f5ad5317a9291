/** One waiting step of a run: what it waits for, and where it is. */
export interface WaitEntry {
  source: string;
  /** The event type. */
  type: string;
  /** The key, as evaluated when the wait started. */
  key: string;
  runId: string;
  step: string;
  flow: string;
}
