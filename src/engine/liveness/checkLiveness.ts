// The liveness pass: explore and record the behaviour graph, then for each
// temporal property (in declaration order) look for a fair cycle violating it
// and turn the first one found into a lasso trace. `checkWithLiveness` runs
// the safety search first (bfs.ts) and the liveness pass only when it found
// nothing, so a run reports one verdict, as TLC does.
import { check, type CheckOptions } from '../bfs.ts';
import type { Bound, CheckResult, CheckWarning, LivenessInfo, Violation } from '../result.ts';
import { LABEL_P } from './behaviourGraph.ts';
import type { Model } from '../spec.ts';
import { exploreBehaviourGraph } from './behaviourGraph.ts';
import { findFairComponents } from './fairComponents.ts';
import { findLasso, replayLasso } from './lasso.ts';
import { SccScratch } from './scc.ts';
import { modelWarnings } from '../vacuity.ts';

export interface LivenessOutcome<S> {
  readonly violation?: Violation<S>;
  readonly bound?: { readonly kind: Bound; readonly limit: number };
  readonly info: LivenessInfo;
  /** Leads-to properties whose left side holds in no reachable state: they checked nothing (KLP503). */
  readonly vacuous?: readonly CheckWarning[];
}

export interface LivenessOptions {
  maxStates?: number;
  timeoutMs?: number;
  now?: () => number;
}

export function checkLiveness<S>(model: Model<S>, options: LivenessOptions = {}): LivenessOutcome<S> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const properties = model.temporal.map((t) => t.name);
  const fairness = model.fairness.map((f) => f.label);
  const explored = exploreBehaviourGraph(model, options);
  if ('bound' in explored) {
    return { bound: explored.bound, info: { properties, fairness, states: 0, edges: 0, elapsedMs: now() - started, graphBytes: 0 } };
  }
  const g = explored.graph;
  const scratch = new SccScratch(g.size);
  let bytes = g.bytes + scratch.bytes;
  let violation: Violation<S> | undefined;
  for (let k = 0; k < model.temporal.length && violation === undefined; k++) {
    const t = model.temporal[k]!;
    const search = findFairComponents(g, k, t, model.fairness, scratch);
    bytes = Math.max(bytes, g.bytes + scratch.bytes + search.bytes);
    if (search.components.length === 0) continue;
    const lasso = findLasso(g, search, model);
    if (lasso === undefined) continue;
    violation = {
      kind: 'liveness',
      temporal: { name: t.name, description: t.description, formula: t.formula, fairness },
      trace: replayLasso(model, g, lasso),
    };
  }
  const info: LivenessInfo = { properties, fairness, states: g.size, edges: g.edgeTo.length, elapsedMs: now() - started, graphBytes: bytes };
  return violation === undefined ? { info, vacuous: vacuousLeadsTo(model, g) } : { violation, info };
}

/** P ~> Q where no reachable state satisfies P: true of every behaviour, so it checked nothing. */
function vacuousLeadsTo<S>(model: Model<S>, g: { readonly size: number; readonly properties: number; readonly labels: Uint8Array }): CheckWarning[] {
  const out: CheckWarning[] = [];
  model.temporal.forEach((t, k) => {
    if (t.kind !== 'leadsTo') return;
    for (let v = 0; v < g.size; v++) if ((g.labels[v * g.properties + k]! & LABEL_P) !== 0) return;
    const premise = t.formula.includes(' ~> ') ? t.formula.slice(0, t.formula.indexOf(' ~> ')) : 'the left side of ~>';
    out.push({ code: 'KLP503', message: `${t.name} checked nothing: its premise (${premise}) never holds` });
  });
  return out;
}

export interface FullCheckOptions extends CheckOptions {
  /** Skip the liveness pass (--no-liveness). */
  liveness?: boolean;
}

/** Safety search, then (if it found nothing and the model has temporal properties) the liveness pass. */
export function checkWithLiveness<S>(model: Model<S>, options: FullCheckOptions = {}): CheckResult<S> {
  return withLiveness(model, check(model, options), options);
}

/**
 * The liveness pass after a safety search that found nothing. Symmetry
 * reduction is not sound for liveness (as in TLC), nor is the partial-order
 * reduction (it preserves safety only), so the behaviour graph is explored
 * without either.
 */
export function withLiveness<S>(model: Model<S>, safety: CheckResult<S>, options: FullCheckOptions = {}): CheckResult<S> {
  const result = livenessPass(model, safety, options);
  if (result.violation !== undefined) return result;
  // Never a silent "no error" for a property the spec declares: each one not checked is a warning.
  const notRun = options.liveness === false && result.verdict === 'ok' ? model.temporal.map((t) => t.name) : [];
  const skipped: CheckWarning[] = [
    ...notRun.map((name): CheckWarning => ({ code: 'KLP504', message: `temporal property ${name} was not checked: the liveness pass was turned off (--no-liveness)` })),
    ...(model.temporalLeftOut ?? []).map((name): CheckWarning => ({ code: 'KLP504', message: `temporal property ${name} was not checked: the property selection (--property) left it out` })),
    ...(result.verdict === 'ok' || result.verdict === 'incomplete' ? modelWarnings(model) : []),
  ];
  return skipped.length === 0 ? result : { ...result, warnings: [...result.warnings, ...skipped] };
}

function livenessPass<S>(model: Model<S>, safety: CheckResult<S>, options: FullCheckOptions): CheckResult<S> {
  if (options.liveness === false || model.temporal.length === 0 || safety.verdict !== 'ok') return safety;
  const spent = safety.stats.elapsedMs;
  const unreduced: Model<S> = model.symmetry === undefined && model.ample === undefined ? model : { ...model, symmetry: undefined, ample: undefined };
  const live = checkLiveness(unreduced, {
    ...(options.maxStates !== undefined ? { maxStates: options.maxStates } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: Math.max(0, options.timeoutMs - spent) } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
  });
  const stats = { ...safety.stats, elapsedMs: safety.stats.elapsedMs + live.info.elapsedMs };
  // Temporal properties were checked: "no property is checked" (KLP501) no longer applies.
  const warnings = safety.warnings.filter((w) => w.code !== 'KLP501');
  // A run that ends in a violation carries no vacuity warning (as for safety).
  if (live.violation !== undefined) return { ...safety, verdict: 'liveness', violation: live.violation, stats, liveness: live.info, warnings: [] };
  if (live.bound !== undefined) return { ...safety, verdict: 'incomplete', bound: live.bound, stats, liveness: live.info, warnings };
  return { ...safety, stats, liveness: live.info, warnings: [...warnings, ...(live.vacuous ?? [])] };
}
