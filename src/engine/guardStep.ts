// Runs a piece of the user's spec (an action, an invariant, the constraint)
// on a state, turning anything it throws into one KLP108 error that names
// what was evaluated and the state, so a bug in a spec is one clear line and
// never a stack trace.
import { KlpError } from './errors.ts';
import type { Model } from './spec.ts';
import { formatValue } from './tlaText.ts';

export function guardStep<S, T>(model: Model<S>, what: string, s: S, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw evalError(model, what, s, e);
  }
}

/** Index of the first of the model's invariants that `s` violates, or -1; a throwing invariant is KLP108. */
export function firstFailing<S>(model: Model<S>, s: S): number {
  const invariants = model.invariants;
  for (let i = 0; i < invariants.length; i++) {
    const inv = invariants[i]!;
    let ok: boolean;
    try {
      ok = inv.holds(s);
    } catch (e) {
      throw evalError(model, `invariant ${inv.name}`, s, e);
    }
    if (!ok) return i;
  }
  return -1;
}

export function evalError<S>(model: Model<S>, what: string, s: S, e: unknown): KlpError {
  if (e instanceof KlpError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  let shown: string;
  try {
    shown = formatValue(s);
  } catch {
    shown = String(s);
  }
  return new KlpError('KLP108', `spec ${model.name} threw while evaluating ${what}: ${msg}`, { hints: [`in state ${shown}`], cause: e });
}
