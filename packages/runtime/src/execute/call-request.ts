import type { CompiledRoute } from '../compile/compile-flow';
import type { ExpressionScope } from '../expressions/template';

/** One attempt of one route of a step, as the executor asks for it. */
export interface CallRequest {
  runId: string;
  flow: string;
  step: string;
  route: CompiledRoute;
  routeIndex: number;
  /** 1-based attempt of this route. */
  attempt: number;
  item: number | undefined;
  idempotencyKey: string;
  scope: ExpressionScope;
  /** Throttled answers this attempt already had (in earlier turns). */
  throttled: number;
}
