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

/** The trace from an initial state to the stored state `id`. */
export function rebuildTrace<S>(model: Model<S>, seen: FingerprintSet, id: number): TraceStep<S>[] {
  const path: number[] = [];
  for (let at = id; at !== NO_PARENT; at = seen.parentOf(at)) path.push(at);
  path.reverse();
  const matches = (s: S, at: number): boolean => {
    fingerprintState(model, s);
    return fpHi >>> 0 === seen.hiOf(at) && fpLo >>> 0 === seen.loOf(at);
  };
  const inits = model.initStates();
  const at = inits.findIndex((s) => matches(s, path[0]!));
  if (at < 0) throw replayError(model);
  let current: S = inits[at] as S;
  const steps: TraceStep<S>[] = [{ index: 1, action: undefined, state: current }];
  for (let k = 1; k < path.length; k++) {
    const found = findSuccessor(model, current, (s) => matches(s, path[k]!));
    if (found === undefined) throw replayError(model);
    current = found.state;
    steps.push({ index: k + 1, action: describe(found.action), state: current });
  }
  return steps;
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
