// The exhaustive breadth-first search, TLC's safety algorithm on one thread.
//
// Per successor, in this order (as TLC's Worker): count it as generated; if it
// is outside the CONSTRAINT, check invariants on it and drop it; otherwise add
// its fingerprint to the seen-set, and only if it is new check the invariants
// and queue it. A state whose expansion computed no successor at all is a
// deadlock. The frontier is kept level by level, so depth is exact and the
// first violation found is at the smallest depth: a shortest counterexample.
//
// Everything is deterministic: actions are tried in declaration order, their
// parameter combinations in domain order, successors in the order returned.
//
// The search is a generator so that it can pause: an Explorer runs it in time
// slices (`run(budgetMs)`), and `checkAsync` awaits the event loop between
// slices so that SIGINT/SIGTERM handlers run and can stop it, incomplete
// ('interrupted'). Pausing changes nothing in the order of work, so the
// results are those of the synchronous `check`. Every state the invariants
// are evaluated on is also shown to the VacuityTracker (covers, premises).
//
// Where later work plugs in (docs/adr/0002-engine-extension-points.md):
// symmetry canonicalises in `fingerprintState`; partial-order reduction
// (Model.ample) orders and cuts the successor loop; several workers split each
// level's frontier and merge seen-set inserts in id order; liveness records the
// edges this loop walks; simulation replaces the loop, not the Model.
import { KlpError } from './errors.ts';
import { fpHi, fpLo } from './fingerprint.ts';
import { Frontier, type FrontierOptions } from './frontier.ts';
import { evalError, firstFailing, guardStep } from './guardStep.ts';
import type { BoundHit, CheckResult, TraceStep, Violation } from './result.ts';
import { searchResult } from './searchResult.ts';
import { FingerprintSet, NO_PARENT } from './seenSet.ts';
import type { ActionInstance, Model } from './spec.ts';
import { successorsOf } from './successors.ts';
import { describe, fingerprintState, makeTrace, rebuildTrace } from './traceRebuild.ts';
import { VacuityTracker } from './vacuity.ts';

export interface Progress {
  readonly generated: number;
  readonly distinct: number;
  readonly queueLeft: number;
  readonly depth: number;
  readonly elapsedMs: number;
}

export interface CheckOptions {
  /** Stop (incomplete) once this many distinct states are stored. */
  maxStates?: number;
  /** Do not expand states at this depth (an initial state has depth 1). */
  maxDepth?: number;
  /** Stop (incomplete) after this many milliseconds. */
  timeoutMs?: number;
  /** Called about every `progressIntervalMs` during the search. */
  onProgress?: (p: Progress) => void;
  progressIntervalMs?: number;
  /** Clock, injectable for tests. */
  now?: () => number;
  /**
   * When the run started, on the `now` clock (default: now). The CLI passes
   * the moment it began loading, so that --timeout also covers building the
   * model and elapsed time counts it.
   */
  startedAt?: number;
  /** Where and when the frontier is packed and spilled to disk (src/engine/frontier.ts). */
  frontier?: FrontierOptions;
}

/** Between slices: when the current slice ends, and a stop request (an interrupt). */
interface SliceControl {
  sliceEnd: number;
  stop: BoundHit | undefined;
}

/** Checks every reachable state at once (no pause); the synchronous API. */
export function check<S>(model: Model<S>, options: CheckOptions = {}): CheckResult<S> {
  const result = new Explorer(model, options).run(Infinity);
  if (result === 'paused') throw new Error('internal: an unbounded slice paused');
  return result;
}

/**
 * A search that runs in slices: `run(budgetMs)` works for about that long
 * (checked every 64 expanded states) and returns the result, or 'paused'.
 * `interrupt` makes the next `run` end the search at once, incomplete.
 */
export class Explorer<S> {
  private readonly control: SliceControl = { sliceEnd: Infinity, stop: undefined };
  private readonly search: Generator<void, CheckResult<S>, void>;
  private readonly now: () => number;
  private result: CheckResult<S> | undefined;

  constructor(model: Model<S>, options: CheckOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.search = withFrontier(model, options, this.now, this.control);
  }

  run(budgetMs: number): CheckResult<S> | 'paused' {
    if (this.result !== undefined) return this.result;
    this.control.sliceEnd = budgetMs === Infinity ? Infinity : this.now() + budgetMs;
    const step = this.search.next();
    if (!step.done) return 'paused';
    this.result = step.value;
    return step.value;
  }

  interrupt(signal: string): void {
    this.control.stop ??= { kind: 'interrupted', limit: 0, signal };
  }
}

export interface AsyncCheckOptions extends CheckOptions {
  /** Length of one slice between two turns of the event loop; default 100 ms. */
  sliceMs?: number;
  /** Called with the explorer before the first slice (to hook signals to `interrupt`). */
  onStart?: (explorer: Explorer<unknown>) => void;
}

/** The same search in slices, yielding to the event loop between them. */
export async function checkAsync<S>(model: Model<S>, options: AsyncCheckOptions = {}): Promise<CheckResult<S>> {
  const explorer = new Explorer(model, options);
  options.onStart?.(explorer as Explorer<unknown>);
  const slice = options.sliceMs ?? 100;
  for (;;) {
    const r = explorer.run(slice);
    if (r !== 'paused') return r;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The search, with its frontier disposed of (spill folder removed) however it ends. */
function* withFrontier<S>(model: Model<S>, options: CheckOptions, now: () => number, control: SliceControl): Generator<void, CheckResult<S>, void> {
  const queue = new Frontier<S>(options.frontier);
  try {
    return yield* explore(model, options, now, control, queue);
  } finally {
    queue.dispose();
  }
}

function* explore<S>(model: Model<S>, options: CheckOptions, now: () => number, control: SliceControl, queue: Frontier<S>): Generator<void, CheckResult<S>, void> {
  const started = options.startedAt ?? now();
  const seen = new FingerprintSet();
  const invariants = model.invariants;
  const constraint = model.constraint;
  const actions = model.actions;
  const actionNames = [...new Set(actions.map((a) => a.action))];
  const nameIndex = actions.map((a) => actionNames.indexOf(a.action));
  const coveredGenerated = new Float64Array(actionNames.length);
  const coveredDistinct = new Float64Array(actionNames.length);
  const maxStates = options.maxStates ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const timeoutMs = options.timeoutMs ?? Infinity;
  const interval = options.progressIntervalMs ?? 3000;
  let nextProgress = started + interval;
  const vacuity = new VacuityTracker(model.covers ?? [], invariants, (what, s, f) => guardStep(model, what, s, f));

  let generated = 0;
  let depth = 0;
  // One FIFO for all levels; `levelLeft` states of it are the current level.
  let levelLeft = 0;
  let expanded = 0;
  /** Holds an action's single successor, so that none allocates an array (read before the next action runs). */
  const one: S[] = [];

  const failing = (s: S): number => {
    if (vacuity.open) vacuity.observe(s);
    return firstFailing(model, s);
  };

  const finish = (end: { violation?: Violation<S>; bound?: BoundHit }): CheckResult<S> =>
    searchResult({
      model,
      end,
      distinct: seen.size,
      generated,
      depth,
      queueLeft: queue.length,
      elapsedMs: now() - started,
      seen,
      frontier: queue.figures,
      actionNames,
      coveredGenerated,
      coveredDistinct,
      warnings: (verdict) => vacuity.warnings(verdict, model.checkDeadlock),
    });


  const invariantViolation = (index: number, steps: TraceStep<S>[]): { violation: Violation<S> } => {
    const inv = invariants[index]!;
    const last = steps[steps.length - 1]!.state;
    const detail = guardStep(model, `the explanation of ${inv.name}`, last, () => inv.explain(last));
    return {
      violation: {
        kind: 'invariant',
        invariant: { name: inv.name, description: inv.description, ...(detail === undefined ? {} : { detail }) },
        trace: makeTrace(model, steps),
      },
    };
  };

  const timedOut = (): boolean => now() - started > timeoutMs;
  const timeoutBound: BoundHit = { kind: 'timeout', limit: timeoutMs };
  if (model.constructionStopped === true || timedOut()) return finish({ bound: timeoutBound });

  // Initial states.
  const inits = model.initStates(timeoutMs === Infinity ? undefined : timedOut);
  if (timeoutMs !== Infinity && timedOut()) return finish({ bound: timeoutBound });
  if (inits.length === 0) throw new KlpError('KLP104', `spec ${model.name} has no initial state`);
  for (const s of inits) {
    generated++;
    const inModel = constraint === undefined || guardStep(model, 'the constraint', s, () => constraint(s));
    if (inModel) {
      fingerprintState(model, s);
      const id = seen.add(fpHi, fpLo, NO_PARENT);
      if (id < 0) continue;
      depth = 1;
      queue.push(s, id);
    }
    const bad = failing(s);
    if (bad >= 0) return finish(invariantViolation(bad, [{ index: 1, action: undefined, state: s }]));
  }

  // Level by level.
  let level = 1;
  levelLeft = queue.length;
  while (levelLeft > 0) {
    if (level >= maxDepth) {
      return finish({ bound: { kind: 'max-depth', limit: maxDepth } });
    }
    const levelStart = seen.size; // ids below it have this depth or less (ids are given in BFS order)
    while (levelLeft > 0) {
      const s = queue.shift();
      const sid = queue.shiftedId;
      levelLeft--;
      let successors = 0;
      // Partial-order reduction: the ample set first; the rest only if it gave nothing, or (unless the spec
      // proves C3) a state of this depth or less.
      const ample = model.ample?.(s);
      let forward = true;
      for (let j = 0; j < actions.length; j++) {
        if (j === ample?.size && successors > 0 && (forward || ample.cycleFree)) break;
        const a = ample === undefined ? j : ample.order[j]!;
        const action = actions[a]!;
        let out: readonly S[];
        try {
          out = successorsOf(action.next(s), one);
        } catch (e) {
          throw evalError(model, `action ${action.label}`, s, e);
        }
        const ni = nameIndex[a]!;
        for (let k = 0; k < out.length; k++) {
          const t = out[k]!;
          successors++;
          generated++;
          coveredGenerated[ni]!++;
          if (constraint !== undefined && !inConstraint(model, constraint, t)) {
            const bad = failing(t);
            if (bad >= 0) return finish(invariantViolation(bad, [...rebuildTrace(model, seen, sid), step(action, t, level + 1)]));
            forward = false;
            continue;
          }
          fingerprintState(model, t);
          const id = seen.add(fpHi, fpLo, sid);
          if (id < 0) {
            if (ample !== undefined && !ample.cycleFree && seen.idOf(fpHi, fpLo) < levelStart) forward = false;
            continue;
          }
          coveredDistinct[ni]!++;
          if (depth <= level) depth = level + 1;
          const bad = failing(t);
          if (bad >= 0) return finish(invariantViolation(bad, rebuildTrace(model, seen, id)));
          queue.push(t, id);
        }
      }
      if (successors === 0 && model.checkDeadlock) {
        return finish({ violation: { kind: 'deadlock', trace: makeTrace(model, rebuildTrace(model, seen, sid)) } });
      }
      if (seen.size >= maxStates && queue.length > 0) {
        return finish({ bound: { kind: 'max-states', limit: maxStates } });
      }
      if ((++expanded & 63) === 0) {
        const t = now();
        if (t - started > timeoutMs) return finish({ bound: timeoutBound });
        if (t >= control.sliceEnd) yield;
        if (control.stop !== undefined) return finish({ bound: control.stop });
        if (options.onProgress !== undefined && t >= nextProgress) {
          nextProgress = t + interval;
          options.onProgress({ generated, distinct: seen.size, queueLeft: queue.length, depth, elapsedMs: t - started });
        }
      }
    }
    levelLeft = queue.length;
    level++;
  }
  return finish({});
}

/** The CONSTRAINT on a successor, a throw turned into KLP108 as guardStep does (no closure per state). */
function inConstraint<S>(model: Model<S>, constraint: (s: S) => boolean, t: S): boolean {
  try {
    return constraint(t);
  } catch (e) {
    throw evalError(model, 'the constraint', t, e);
  }
}

function step<S>(action: ActionInstance<S>, state: S, index: number): TraceStep<S> {
  return { index, action: describe(action), state };
}
