// Random simulation (TLC's -simulate): for scenarios too large to exhaust,
// walk R behaviours of at most D steps, each from a random initial state and
// through random successors, checking the invariants (and deadlock) on every
// state visited. Behaviour i uses its own stream derived from (seed, i), so a
// run is reproducible from its seed and one behaviour can be replayed alone.
//
// A simulation samples; it never proves absence. Its "no violation" is
// reported as such, with how much was sampled (behaviours, states generated,
// distinct states seen) and the actions that never fired. Like a search, it
// shows every state it visits to a VacuityTracker, so that a cover goal never
// reached or a premise that never held is a warning (KLP501-503), and a
// temporal property the spec declares, which a simulation never checks, is
// one too (KLP504).
import { fpHi, fpLo } from './fingerprint.ts';
import { randomStream } from './random.ts';
import type { ActionCoverage, CheckWarning, TraceStep, Violation } from './result.ts';
import { FingerprintSet, NO_PARENT } from './seenSet.ts';
import type { ActionInstance, Model } from './spec.ts';
import { successorsOf } from './successors.ts';
import { describe, fingerprintState, makeTrace } from './traceRebuild.ts';
import { guardStep } from './guardStep.ts';
import { modelWarnings, VacuityTracker } from './vacuity.ts';

export interface SimulateOptions {
  seed: number;
  /** Steps per behaviour at most (TLC's -depth); a behaviour of depth D has D + 1 states. */
  depth: number;
  /** Behaviours to walk (TLC's -num). */
  runs: number;
  /** Walk only this behaviour (replay), 0-based. */
  only?: number;
  timeoutMs?: number;
  now?: () => number;
}

export interface SimulationResult<S> {
  readonly model: string;
  readonly seed: number;
  readonly depth: number;
  /** Behaviours walked to their end (or to the violation). */
  readonly runs: number;
  readonly runsRequested: number;
  /** States computed as successors, initial states included (as TLC counts). */
  readonly generated: number;
  /** Distinct states visited (by fingerprint). */
  readonly distinct: number;
  /** The longest behaviour walked, in steps. */
  readonly longest: number;
  readonly elapsedMs: number;
  readonly timedOut: boolean;
  readonly violation?: Violation<S> & { readonly run: number };
  readonly coverage: readonly ActionCoverage[];
  readonly invariants: readonly string[];
  readonly checkDeadlock: boolean;
  /** What the sampled behaviours did not really check (none when a violation was found). */
  readonly warnings: readonly CheckWarning[];
}

export function simulate<S>(model: Model<S>, options: SimulateOptions): SimulationResult<S> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const seen = new FingerprintSet();
  const actions = model.actions;
  const names = [...new Set(actions.map((a) => a.action))];
  const nameIndex = actions.map((a) => names.indexOf(a.action));
  const covGenerated = new Float64Array(names.length);
  const covDistinct = new Float64Array(names.length);
  const inits = model.initStates().filter((s) => model.constraint === undefined || guardStep(model, 'the constraint', s, () => model.constraint!(s)));
  let generated = inits.length;
  let runs = 0;
  let longest = 0;
  let timedOut = false;
  let violation: (Violation<S> & { run: number }) | undefined;

  const firstFailing = (s: S): number => model.invariants.findIndex((inv) => !guardStep(model, `invariant ${inv.name}`, s, () => inv.holds(s)));
  const vacuity = new VacuityTracker(model.covers ?? [], model.invariants, (what, s, f) => guardStep(model, what, s, f));
  const visit = (s: S, ni: number): void => {
    if (vacuity.open) vacuity.observe(s);
    fingerprintState(model, s);
    if (seen.add(fpHi, fpLo, NO_PARENT) >= 0 && ni >= 0) covDistinct[ni]!++;
  };

  const first = options.only ?? 0;
  const last = options.only === undefined ? options.runs : options.only + 1;
  for (let run = first; run < last && violation === undefined && inits.length > 0; run++) {
    if (options.timeoutMs !== undefined && now() - started > options.timeoutMs) {
      timedOut = true;
      break;
    }
    const random = randomStream(options.seed, run);
    let s: S = inits[random.below(inits.length)]!;
    visit(s, -1);
    const steps: TraceStep<S>[] = [{ index: 1, action: undefined, state: s }];
    const fail = (kind: 'invariant' | 'deadlock', index: number): void => {
      const inv = model.invariants[index];
      const last = steps[steps.length - 1]!.state;
      const detail = inv === undefined ? undefined : guardStep(model, `the explanation of ${inv.name}`, last, () => inv.explain(last));
      violation = {
        kind,
        ...(inv === undefined ? {} : { invariant: { name: inv.name, description: inv.description, ...(detail === undefined ? {} : { detail }) } }),
        trace: makeTrace(model, steps),
        run,
      };
    };
    const bad = firstFailing(s);
    if (bad >= 0) fail('invariant', bad);
    for (let d = 0; d < options.depth && violation === undefined; d++) {
      const candidates: { action: ActionInstance<S>; index: number; state: S }[] = [];
      for (let a = 0; a < actions.length; a++) {
        const action = actions[a]!;
        for (const t of successorsOf(guardStep(model, `action ${action.label}`, s, () => action.next(s)))) {
          generated++;
          covGenerated[nameIndex[a]!]!++;
          if (model.constraint === undefined || guardStep(model, 'the constraint', t, () => model.constraint!(t))) candidates.push({ action, index: a, state: t });
        }
      }
      if (candidates.length === 0) {
        if (model.checkDeadlock) fail('deadlock', -1);
        break;
      }
      const pick = candidates[random.below(candidates.length)]!;
      s = pick.state;
      visit(s, nameIndex[pick.index]!);
      steps.push({ index: steps.length + 1, action: describe(pick.action), state: s });
      longest = Math.max(longest, d + 1);
      const broken = firstFailing(s);
      if (broken >= 0) fail('invariant', broken);
    }
    runs++;
  }
  return {
    model: model.name,
    seed: options.seed,
    depth: options.depth,
    runs,
    runsRequested: last - first,
    generated,
    distinct: seen.size,
    longest,
    elapsedMs: now() - started,
    timedOut,
    ...(violation === undefined ? {} : { violation }),
    coverage: names.map((action, i) => ({ action, generated: covGenerated[i]!, distinct: covDistinct[i]! })),
    invariants: model.invariants.map((i) => i.name),
    checkDeadlock: model.checkDeadlock,
    warnings: violation === undefined ? simulationWarnings(model, vacuity) : [],
  };
}

/** KLP501-503 over the states visited, KLP504 for each temporal property (a simulation checks none), then the model's own (modelWarnings). */
function simulationWarnings<S>(model: Model<S>, vacuity: VacuityTracker<S>): CheckWarning[] {
  const unchecked = model.temporal.map((t): CheckWarning => ({ code: 'KLP504', message: `temporal property ${t.name} was not checked: a simulation checks invariants only (klpcheck check checks it)` }));
  return [...vacuity.warnings('incomplete', model.checkDeadlock), ...unchecked, ...modelWarnings(model)];
}
