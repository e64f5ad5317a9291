import type jsonata from 'jsonata';
import { BOUNDED_BUILTINS } from './bounded-builtins';
import { EXPRESSION_LIMITS, LimitExceeded, stringTooLong } from './limits';
import { jsonSize } from './value-size';

type Compiled = ReturnType<typeof jsonata>;
type BuiltinImplementation = Parameters<Compiled['registerFunction']>[1];

/** JSONata calls the function bound to this symbol with the result of every evaluation step. */
const EVALUATE_EXIT = Symbol.for('jsonata.__evaluate_exit') as unknown as string;

/**
 * Adds the guards JSONata lacks to a compiled expression: every value an
 * evaluation step builds is checked against the size limits (a doubling
 * `$s & $s` loop stops at the cap), and the built-ins that could build a
 * huge value in one native call check what they would build first.
 */
export function guardEvaluation(compiled: Compiled): void {
  compiled.assign(EVALUATE_EXIT, checkStepResult);
  for (const fn of BOUNDED_BUILTINS) {
    // JSONata's types leave out the createSequence it passes as `this`.
    compiled.registerFunction(fn.name, fn.implementation as BuiltinImplementation, fn.signature);
  }
}

function checkStepResult(_expr: unknown, _input: unknown, _env: unknown, result: unknown): void {
  if (typeof result === 'string') {
    if (result.length > EXPRESSION_LIMITS.stringLength) throw new LimitExceeded(stringTooLong());
  } else if (result !== null && typeof result === 'object') {
    jsonSize(result);
  }
}
