// An independent check of a liveness counterexample: every step is a real
// step of the model (the action named produces the next state), the lasso
// closes, the property fails along it, and its cycle is fair. Works on the
// Model only, not on the checker's graph.
import { is } from 'immutable';
import type { Trace } from '../../src/engine/result.ts';
import type { Model } from '../../src/engine/spec.ts';
import { successorsOf } from '../../src/engine/successors.ts';

/** Undefined when the lasso is a valid fair counterexample of property `name`; otherwise why not. */
export function lassoProblem<S>(model: Model<S>, trace: Trace<S>, name: string): string | undefined {
  const steps = trace.steps;
  const loop = trace.loop;
  if (loop === undefined || loop < 0 || loop >= steps.length) return 'no valid loop index';
  const same = (a: S, b: S): boolean => is(model.view ? model.view(a) : a, model.view ? model.view(b) : b);
  const stepOk = (from: S, to: S, label: string): boolean =>
    model.actions.some((a) => a.label === label && successorsOf(a.next(from)).some((t) => same(t, to)));
  if (!model.initStates().some((s) => same(s, steps[0]!.state))) return 'first state is not initial';
  for (let i = 1; i < steps.length; i++) {
    if (!stepOk(steps[i - 1]!.state, steps[i]!.state, steps[i]!.action!.label)) return `step ${i + 1} is not a step of ${steps[i]!.action!.label}`;
  }
  const last = steps[steps.length - 1]!.state;
  const cycleStates = steps.slice(loop).map((s) => s.state);
  // Edges of the cycle as (from, to, label); stuttering has none.
  const cycleEdges: { from: S; to: S; label: string }[] = [];
  if (trace.loopAction === undefined) {
    if (loop !== steps.length - 1) return 'a stuttering loop must be on the last state';
  } else {
    if (!stepOk(last, steps[loop]!.state, trace.loopAction.label)) return 'the loop step is not a step of the model';
    for (let i = loop + 1; i < steps.length; i++) cycleEdges.push({ from: steps[i - 1]!.state, to: steps[i]!.state, label: steps[i]!.action!.label });
    cycleEdges.push({ from: last, to: steps[loop]!.state, label: trace.loopAction.label });
  }
  // The property fails.
  const t = model.temporal.find((x) => x.name === name);
  if (t === undefined) return `no property ${name}`;
  const all = steps.map((s) => s.state);
  if (t.kind === 'eventually' && all.some((s) => t.p(s))) return 'P holds somewhere on the lasso';
  if (t.kind === 'alwaysEventually' && cycleStates.some((s) => t.p(s))) return 'P holds on the cycle';
  if (t.kind === 'leadsTo') {
    // Some P state from which Q never holds again (the cycle repeats forever, so Q must fail on it too).
    const ok = all.some((s, i) => t.p(s) && !t.q!(s) && all.slice(i).every((x) => !t.q!(x)) && cycleStates.every((x) => !t.q!(x)));
    if (!ok) return 'no P state is followed by ~Q forever';
  }
  // Fairness on the cycle. Enabled = some non-stuttering successor.
  for (const f of model.fairness) {
    const acts = f.instances.map((i) => model.actions[i]!);
    const enabled = (s: S): boolean => acts.some((a) => successorsOf(a.next(s)).some((x) => !same(x, s)));
    const taken = cycleEdges.some((e) => acts.some((a) => a.label === e.label) && !same(e.from, e.to));
    if (taken) continue;
    if (f.kind === 'weak' && cycleStates.every(enabled)) return `${f.label} is violated by the cycle`;
    if (f.kind === 'strong' && cycleStates.some(enabled)) return `${f.label} is violated by the cycle`;
  }
  return undefined;
}
