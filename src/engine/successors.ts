// Normalises what an action returns (one state, several, or nothing) into an
// array, in the order the action gave them. With `scratch`, a single successor
// is put in that reused array instead of a new one.
import type { Successors } from './spec.ts';

const NONE: readonly never[] = Object.freeze([]);

export function successorsOf<S>(r: Successors<S>, scratch?: S[]): readonly S[] {
  if (r === null || r === undefined || r === false) return NONE;
  if (Array.isArray(r)) return r as readonly S[];
  if (scratch === undefined) return [r as S];
  // The search's hot loop passes a one-slot array it reads before the next call.
  scratch[0] = r as S;
  return scratch;
}
