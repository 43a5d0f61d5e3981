// Rebuilds a trace from parent links, the way TLC does (TLCTrace): follow the
// parent ids from the last state back to an initial state, collecting
// fingerprints; then go forward, regenerating the initial states and, at each
// step, every successor of the previous state, keeping the first whose
// fingerprint matches. States are never stored, only recomputed. Because the
// replay visits actions in the same order as the search, it finds the same
// action the search recorded first.
import { KlpError } from './errors.ts';
import { fingerprint, fpHi, fpLo } from './fingerprint.ts';
import type { Trace, TraceStep } from './result.ts';
import { NO_PARENT, type FingerprintSet } from './seenSet.ts';
import type { ActionInstance, Model } from './spec.ts';
import { successorsOf } from './successors.ts';

export function fingerprintState<S>(model: Model<S>, s: S): void {
  const canonical = model.symmetry === undefined ? s : model.symmetry(s);
  fingerprint(model.view === undefined ? canonical : model.view(canonical));
}

/** The ids of the stored states from an initial state to `id`, following parent links. */
export function storedPath(seen: FingerprintSet, id: number): number[] {
  const path: number[] = [];
  for (let at = id; at !== NO_PARENT; at = seen.parentOf(at)) path.push(at);
  return path.reverse();
}

/** The trace from an initial state to the stored state `id`. */
export function rebuildTrace<S>(model: Model<S>, seen: FingerprintSet, id: number): TraceStep<S>[] {
  const path = storedPath(seen, id);
  return replayPath(model, path.length, (s, k) => {
    fingerprintState(model, s);
    return fpHi >>> 0 === seen.hiOf(path[k]!) && fpLo >>> 0 === seen.loOf(path[k]!);
  }).map(({ state, action }, k) => ({ index: k + 1, action: action === undefined ? undefined : describe(action), state }));
}

/**
 * Regenerates `n` states: the first initial state that `matches(s, 0)`, then
 * at each step k the first successor (actions in order) that `matches(s, k)`.
 * KLP108 when none does (the spec is not deterministic).
 */
export function replayPath<S>(model: Model<S>, n: number, matches: (s: S, k: number) => boolean): { state: S; action: ActionInstance<S> | undefined }[] {
  const inits = model.initStates();
  const at = inits.findIndex((s) => matches(s, 0));
  if (at < 0) throw replayError(model);
  let current: S = inits[at] as S;
  const out: { state: S; action: ActionInstance<S> | undefined }[] = [{ state: current, action: undefined }];
  for (let k = 1; k < n; k++) {
    const found = findSuccessor(model, current, (s) => matches(s, k));
    if (found === undefined) throw replayError(model);
    current = found.state;
    out.push(found);
  }
  return out;
}

export function findSuccessor<S>(model: Model<S>, from: S, accept: (s: S) => boolean): { action: ActionInstance<S>; state: S } | undefined {
  for (const action of model.actions) {
    for (const s of successorsOf(action.next(from))) if (accept(s)) return { action, state: s };
  }
  return undefined;
}

export function describe<S>(action: ActionInstance<S>): TraceStep['action'] {
  return { name: action.action, params: action.params, label: action.label };
}

export function makeTrace<S>(model: Model<S>, steps: TraceStep<S>[]): Trace<S> {
  return { model: model.name, constants: model.constants, variables: model.variables, steps };
}

function replayError<S>(model: Model<S>): KlpError {
  return new KlpError(
    'KLP108',
    `spec ${model.name} is not deterministic: replaying the trace did not regenerate a state found during the search (actions must be pure functions of the state)`,
  );
}
