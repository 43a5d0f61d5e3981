// Vacuity: what a run did not really check. The search shows every state it
// evaluates (the states it checks invariants on) to a VacuityTracker, which
// records which cover goals some state reached and which invariants' premises
// some state satisfied. Each goal and premise is evaluated only until it first
// holds, so once everything is seen `observe` costs one comparison. After the
// run, `warnings` turns what was never seen into KLP501/502/503 (or the
// warning a cover goal names instead of KLP502, e.g. KLP505). unusedFairness
// is KLP506 and modelWarnings adds a model's known warnings (KLP507): facts
// of the model rather than of the states seen.
import type { CheckWarning, Verdict } from './result.ts';
import type { CoverInstance, InvariantInstance, Model } from './spec.ts';

export class VacuityTracker<S> {
  private readonly covers: readonly CoverInstance<S>[];
  private readonly invariants: readonly InvariantInstance<S>[];
  /** Indices of covers not reached yet. */
  private openCovers: number[];
  /** Indices of invariants with a premise that has not held yet. */
  private openPremises: number[];
  private readonly guard: (what: string, s: S, f: () => boolean) => boolean;

  /** `guard` evaluates user code, turning a throw into an error naming `what` and the state. */
  constructor(covers: readonly CoverInstance<S>[], invariants: readonly InvariantInstance<S>[], guard: (what: string, s: S, f: () => boolean) => boolean) {
    this.covers = covers;
    this.invariants = invariants;
    this.guard = guard;
    this.openCovers = covers.map((_, i) => i);
    this.openPremises = invariants.flatMap((inv, i) => (inv.premise === undefined ? [] : [i]));
  }

  /** True while some goal or premise has not been seen: the search calls observe only then. */
  get open(): boolean {
    return this.openCovers.length > 0 || this.openPremises.length > 0;
  }

  observe(s: S): void {
    if (this.openCovers.length > 0) {
      this.openCovers = this.openCovers.filter((i) => {
        const cover = this.covers[i]!;
        return !this.guard(`cover ${cover.name}`, s, () => cover.holds(s));
      });
    }
    if (this.openPremises.length > 0) {
      this.openPremises = this.openPremises.filter((i) => {
        const inv = this.invariants[i]!;
        return !this.guard(`the premise of ${inv.name}`, s, () => inv.premise!(s));
      });
    }
  }

  /**
   * The warnings of a run that ended with `verdict`. A violation is a real
   * finding, so it carries none; an incomplete run words them "in the states
   * explored". KLP501 when nothing at all is checked: no invariant and no
   * deadlock check.
   */
  warnings(verdict: Verdict, checkDeadlock: boolean): CheckWarning[] {
    if (verdict !== 'ok' && verdict !== 'incomplete') return [];
    const where = verdict === 'incomplete' ? ' in the states explored' : '';
    const out: CheckWarning[] = [];
    if (this.invariants.length === 0 && !checkDeadlock) {
      out.push({ code: 'KLP501', message: 'no property is checked (no invariant, and deadlock checking is off): "no error" says nothing' });
    }
    for (const i of this.openCovers) {
      const cover = this.covers[i]!;
      out.push(cover.unreached === undefined ? { code: 'KLP502', message: `${cover.description} is never reached${where}` } : { code: cover.unreached.code, message: cover.unreached.text(where) });
    }
    for (const i of this.openPremises) {
      const inv = this.invariants[i]!;
      out.push({ code: 'KLP503', message: `${inv.name} checked nothing: its premise (${inv.premiseText ?? 'a state it applies to'}) never holds${where}` });
    }
    return out;
  }
}

/** What a model knows is not really checked before any state is seen: its known warnings, then KLP506. */
export function modelWarnings<S>(model: Pick<Model<S>, 'temporal' | 'temporalLeftOut' | 'fairness' | 'fairnessText' | 'knownWarnings'>): CheckWarning[] {
  return [...(model.knownWarnings ?? []), ...unusedFairness(model)];
}

/**
 * KLP506: fairness is assumed but the spec declares no temporal property, so
 * the assumptions constrain nothing (TLC says nothing here; we say so). Not
 * raised when temporal properties exist but were left out or not run: KLP504
 * says that already.
 */
export function unusedFairness<S>(model: Pick<Model<S>, 'temporal' | 'temporalLeftOut' | 'fairness' | 'fairnessText'>): CheckWarning[] {
  if (model.temporal.length > 0 || (model.temporalLeftOut ?? []).length > 0) return [];
  if (model.fairness.length === 0 && model.fairnessText === undefined) return [];
  const text = model.fairnessText ?? model.fairness.map((f) => f.label).join(', ');
  return [{ code: 'KLP506', message: `fairness is assumed (${text}) but no temporal property is checked: the assumptions are not used` }];
}
