// The behaviour graph the liveness check works on: every reachable state (ids
// from the seen-set, in breadth-first order) and every edge labelled with the
// action instance that took it, in compact typed arrays (CSR layout), plus per
// state the truth of each temporal property's predicates and which fairness
// conditions are enabled there. It is a second exploration after the safety
// search (bfs.ts is left alone), with the same order and the same CONSTRAINT.
//
// TLA+ semantics: a step from a state to itself (same fingerprint) is a
// stuttering step. It is not recorded as an edge, it does not make its action
// enabled (ENABLED <<A>>_vars) and it does not count as taking it. Every state
// may stutter; the SCC search adds that implicit self-loop itself.
import { fpHi, fpLo } from '../fingerprint.ts';
import { guardStep } from '../guardStep.ts';
import { FingerprintSet, NO_PARENT } from '../seenSet.ts';
import type { Model } from '../spec.ts';
import { successorsOf } from '../successors.ts';
import { fingerprintState } from '../traceRebuild.ts';
import { Int32Buffer } from '../int32Buffer.ts';

/** Bit of `labels` for P and Q of a property. */
export const LABEL_P = 1;
export const LABEL_Q = 2;

export interface BehaviourGraph {
  readonly size: number;
  /** Edges of state v are edgeTo[edgeStart[v] .. edgeStart[v + 1]). */
  readonly edgeStart: Int32Array;
  readonly edgeTo: Int32Array;
  /** Index into Model.actions of the action instance of each edge. */
  readonly edgeAction: Int32Array;
  readonly initial: Int32Array;
  /** labels[v * properties + k]: LABEL_P / LABEL_Q bits of property k at state v. */
  readonly labels: Uint8Array;
  readonly properties: number;
  /** enabled[v * words + (f >> 5)] bit (f & 31): fairness condition f enabled at v. */
  readonly enabled: Uint32Array;
  readonly words: number;
  /** Fingerprints of the states, for replaying a lasso. */
  readonly seen: FingerprintSet;
  readonly bytes: number;
}

export interface GraphBounds {
  maxStates?: number;
  timeoutMs?: number;
  now?: () => number;
}

export type GraphOutcome = { graph: BehaviourGraph } | { bound: { kind: 'max-states' | 'timeout'; limit: number } };

export function exploreBehaviourGraph<S>(model: Model<S>, bounds: GraphBounds = {}): GraphOutcome {
  const now = bounds.now ?? (() => performance.now());
  const started = now();
  const maxStates = bounds.maxStates ?? Infinity;
  const timeoutMs = bounds.timeoutMs ?? Infinity;
  const seen = new FingerprintSet();
  const constraint = model.constraint;
  const actions = model.actions;
  const props = model.temporal;
  const fair = model.fairness;
  const words = Math.max(1, Math.ceil(fair.length / 32));
  // Fairness conditions each action instance belongs to.
  const fairOf: number[][] = actions.map(() => []);
  fair.forEach((f, k) => f.instances.forEach((i) => fairOf[i]!.push(k)));

  const edgeStart = new Int32Buffer();
  const edgeTo = new Int32Buffer();
  const edgeAction = new Int32Buffer();
  let labels = new Uint8Array(1024 * Math.max(1, props.length));
  let enabled = new Uint32Array(1024 * words);
  const initial: number[] = [];
  const states: S[] = [];

  const inModel = (s: S): boolean => constraint === undefined || guardStep(model, 'the constraint', s, () => constraint(s));
  for (const s of model.initStates()) {
    if (!inModel(s)) continue;
    fingerprintState(model, s);
    const id = seen.add(fpHi, fpLo, NO_PARENT);
    if (id < 0) continue;
    initial.push(id);
    states.push(s);
  }
  // Ids are dense in discovery order, so states[id - head] is state id.
  let head = 0;
  for (let v = 0; v < seen.size; v++) {
    const s = states[v - head]!;
    if ((v & 1023) === 1023) {
      // Drop expanded states from the front of the queue now and then.
      states.splice(0, v - head);
      head = v;
      if (now() - started > timeoutMs) return { bound: { kind: 'timeout', limit: timeoutMs } };
    }
    if ((v + 1) * Math.max(1, props.length) > labels.length) {
      const l = new Uint8Array(labels.length * 2);
      l.set(labels);
      labels = l;
      const e = new Uint32Array(enabled.length * 2);
      e.set(enabled);
      enabled = e;
    }
    for (let k = 0; k < props.length; k++) {
      const t = props[k]!;
      let bits = guardStep(model, `temporal property ${t.name}`, s, () => t.p(s)) ? LABEL_P : 0;
      if (t.q !== undefined && guardStep(model, `temporal property ${t.name}`, s, () => t.q!(s))) bits |= LABEL_Q;
      labels[v * props.length + k] = bits;
    }
    edgeStart.push(edgeTo.length);
    for (let a = 0; a < actions.length; a++) {
      const action = actions[a]!;
      const out = guardStep(model, `action ${action.label}`, s, () => successorsOf(action.next(s)));
      for (let j = 0; j < out.length; j++) {
        const t = out[j]!;
        if (!inModel(t)) continue;
        fingerprintState(model, t);
        let id = seen.add(fpHi, fpLo, v);
        if (id >= 0) {
          if (seen.size > maxStates) return { bound: { kind: 'max-states', limit: maxStates } };
          states.push(t);
        } else id = seen.idOf(fpHi, fpLo);
        if (id === v) continue; // stuttering
        edgeTo.push(id);
        edgeAction.push(a);
        for (const f of fairOf[a]!) enabled[v * words + (f >> 5)]! |= 1 << (f & 31);
      }
    }
  }
  edgeStart.push(edgeTo.length);
  const n = seen.size;
  const graph: BehaviourGraph = {
    size: n,
    edgeStart: edgeStart.done(),
    edgeTo: edgeTo.done(),
    edgeAction: edgeAction.done(),
    initial: Int32Array.from(initial),
    labels: labels.slice(0, n * props.length),
    properties: props.length,
    enabled: enabled.slice(0, n * words),
    words,
    seen,
    bytes: 0,
  };
  return { graph: { ...graph, bytes: (n + 1) * 4 + graph.edgeTo.byteLength * 2 + graph.labels.byteLength + graph.enabled.byteLength + seen.bytes } };
}
