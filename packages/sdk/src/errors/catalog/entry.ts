/**
 * What Baton says about one of its own error codes: the one place a code is
 * described. The gateway takes its HTTP status from here, the CLI its exit
 * code, the runtime its default for `retryable`, the troubleshooting guide
 * its list of codes (a test checks the guide against the catalog).
 */
export interface ErrorCodeEntry {
  /** What happened, in one or two sentences, for operators and the troubleshooting guide. */
  readonly description: string;
  /** The HTTP status the gateway answers with; absent for a code that is never an HTTP answer. */
  readonly status?: number;
  /** Whether trying the same thing again may pass. */
  readonly retryable: boolean;
  /**
   * The exit code of the `baton` CLI when a command fails with this code.
   * @default 1
   */
  readonly exitCode?: number;
}
