// Vacuity across workers. The one-thread search shows every state it checks
// invariants on to a VacuityTracker, which evaluates each cover goal and
// premise until it first holds. Here each searcher scans the states it may
// check (outside the CONSTRAINT, or candidates that may be new) with a
// PredicateScan and reports every ordinal where an open predicate held (a
// "hit") or threw: which candidates are new, and so which hit comes first in
// one-thread order, only the coordinator knows. A predicate stays open until
// the coordinator says it has held (`close`, at a level's start). The
// coordinator keeps the hits that come before the point where the search
// stopped and replays them through a VacuityTracker for the warnings, so
// their wording has one source.
//
// Predicates are numbered covers first (0..covers-1), then invariants'
// premises (covers + invariant index).
import { evalError } from '../guardStep.ts';
import type { CheckWarning, Verdict } from '../result.ts';
import type { CoverInstance, InvariantInstance, Model } from '../spec.ts';
import { VacuityTracker } from '../vacuity.ts';
import type { PredicateError } from './protocol.ts';
import { toSerial } from './serialError.ts';

export class PredicateScan<S> {
  private readonly model: Model<S>;
  private readonly covers: readonly CoverInstance<S>[];
  private open: number[];
  private hits: number[] = [];
  private errors: PredicateError[] = [];

  constructor(model: Model<S>) {
    this.model = model;
    this.covers = model.covers ?? [];
    const nc = this.covers.length;
    this.open = [...this.covers.map((_, i) => i), ...model.invariants.flatMap((inv, i) => (inv.premise === undefined ? [] : [nc + i]))];
  }

  /** Evaluates every open predicate on `s`, in the tracker's order (covers, then premises); each stays open. */
  observe(s: S, ordinal: number): void {
    const open = this.open;
    if (open.length === 0) return;
    const nc = this.covers.length;
    for (let i = 0; i < open.length; i++) {
      const p = open[i]!;
      try {
        const holds = p < nc ? this.covers[p]!.holds(s) : this.model.invariants[p - nc]!.premise!(s);
        if (holds) this.hits.push(p, ordinal);
      } catch (e) {
        const what = p < nc ? `cover ${this.covers[p]!.name}` : `the premise of ${this.model.invariants[p - nc]!.name}`;
        this.errors.push({ predicate: p, ordinal, error: toSerial(evalError(this.model, what, s, e)) });
      }
    }
  }

  /** Stops scanning for the predicates in `reached` (they have held: nothing later can change a verdict about them). */
  close(reached: Iterable<number>): void {
    const done = new Set(reached);
    if (done.size > 0) this.open = this.open.filter((p) => !done.has(p));
  }

  /** Hits since the last take, as (predicate, ordinal) pairs, and the predicates that threw. */
  take(): { hits: Int32Array; errors: PredicateError[] } {
    const out = { hits: Int32Array.from(this.hits), errors: this.errors };
    this.hits = [];
    this.errors = [];
    return out;
  }
}

/** The vacuity warnings of a run, given which predicates held on some state before it stopped. */
export function vacuityWarnings<S>(model: Model<S>, reached: ReadonlySet<number>, verdict: Verdict): CheckWarning[] {
  const covers = model.covers ?? [];
  const nc = covers.length;
  const fakeCovers: CoverInstance<S>[] = covers.map((c, i) => ({ name: c.name, description: c.description, holds: () => reached.has(i), ...(c.unreached === undefined ? {} : { unreached: c.unreached }) }));
  const fakeInvariants: InvariantInstance<S>[] = model.invariants.map((inv, i) => ({
    name: inv.name,
    description: inv.description,
    holds: () => true,
    explain: () => undefined,
    ...(inv.premise === undefined ? {} : { premise: () => reached.has(nc + i) }),
    ...(inv.premiseText === undefined ? {} : { premiseText: inv.premiseText }),
  }));
  const tracker = new VacuityTracker(fakeCovers, fakeInvariants, (_what, _s, f) => f());
  if (tracker.open) tracker.observe(undefined as S);
  return tracker.warnings(verdict, model.checkDeadlock);
}
