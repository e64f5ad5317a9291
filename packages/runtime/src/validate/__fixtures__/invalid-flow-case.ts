/** An invalid flow file and the diagnostics it must produce, as `line:col message [CODE]`. */
export interface InvalidFlowCase {
  name: string;
  text: string;
  expected: string[];
}
