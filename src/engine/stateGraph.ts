// The whole reachable state graph of a small model, for pictures (DOT with
// the violating path highlighted). Same search order and same constraint as
// bfs.ts, but it keeps every state and edge, so it refuses models larger
// than a limit instead of exhausting memory.
import { fpHi, fpLo } from './fingerprint.ts';
import type { Model } from './spec.ts';
import { successorsOf } from './successors.ts';
import { fingerprintState } from './traceRebuild.ts';

export interface StateGraph<S> {
  readonly states: readonly S[];
  /** Indices into `states`, and the action label. */
  readonly edges: readonly (readonly [number, number, string])[];
  readonly initial: readonly number[];
}

export function keyOf<S>(model: Model<S>, s: S): string {
  fingerprintState(model, s);
  return `${fpHi >>> 0}:${fpLo >>> 0}`;
}

/** Undefined when the model has more than `limit` states. */
export function exploreGraph<S>(model: Model<S>, limit: number): StateGraph<S> | undefined {
  const ids = new Map<string, number>();
  const states: S[] = [];
  const edges: [number, number, string][] = [];
  const idOf = (s: S): number | undefined => {
    const k = keyOf(model, s);
    let id = ids.get(k);
    if (id === undefined) {
      if (states.length >= limit) return undefined;
      id = states.length;
      ids.set(k, id);
      states.push(s);
    }
    return id;
  };
  const initial: number[] = [];
  for (const s of model.initStates()) {
    if (model.constraint !== undefined && !model.constraint(s)) continue;
    const id = idOf(s);
    if (id === undefined) return undefined;
    if (!initial.includes(id)) initial.push(id);
  }
  for (let at = 0; at < states.length; at++) {
    for (const action of model.actions) {
      for (const t of successorsOf(action.next(states[at]!))) {
        if (model.constraint !== undefined && !model.constraint(t)) continue;
        const to = idOf(t);
        if (to === undefined) return undefined;
        edges.push([at, to, action.label]);
      }
    }
  }
  return { states, edges, initial };
}
