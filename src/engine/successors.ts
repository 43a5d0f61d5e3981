// Normalises what an action returns (one state, several, or nothing) into an
// array, in the order the action gave them.
import type { Successors } from './spec.ts';

const NONE: readonly never[] = Object.freeze([]);

export function successorsOf<S>(r: Successors<S>): readonly S[] {
  if (r === null || r === undefined || r === false) return NONE;
  return Array.isArray(r) ? (r as readonly S[]) : [r as S];
}
