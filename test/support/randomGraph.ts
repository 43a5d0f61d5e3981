// Random small behaviour graphs as specs, and a brute-force reference for the
// liveness verdict, for the differential test. The reference does not use
// SCCs: it enumerates every set U of reachable states and asks whether a
// behaviour can visit exactly U forever (U strongly connected through its own
// edges, a single state by stuttering), inside the property's restriction,
// after a suitable prefix, fairly (the best cycle on U takes every edge of U).
import { Record } from 'immutable';
import { prng } from './randomSpec.ts';
import { defineSpec, type FairnessDefinition, type Spec, type TemporalDefinition } from '../../src/engine/spec.ts';

const Node = Record({ v: 0 });
export type NodeState = ReturnType<typeof Node>;

export interface RandomGraph {
  n: number;
  init: number[];
  /** Edges [from, to, action, param]. */
  edges: [number, number, number, number][];
  actions: number;
  p: boolean[];
  q: boolean[];
  kind: 'eventually' | 'alwaysEventually' | 'leadsTo';
  fairness: FairnessDefinition[];
}

export function randomGraph(seed: number): RandomGraph {
  const rnd = prng(seed);
  const int = (k: number): number => Math.floor(rnd() * k);
  const n = 2 + int(6);
  const actions = 1 + int(3);
  const edges: [number, number, number, number][] = [];
  const m = int(3 * n);
  for (let i = 0; i < m; i++) edges.push([int(n), int(n), int(actions), int(2)]);
  const init = [0, ...(rnd() < 0.3 ? [1 % n] : [])];
  const kinds = ['eventually', 'alwaysEventually', 'leadsTo'] as const;
  const fairness: FairnessDefinition[] = [];
  for (let a = 0; a < actions; a++) {
    const r = rnd();
    if (r < 0.35) continue;
    fairness.push({ kind: r < 0.7 ? 'weak' : 'strong', action: `A${a}`, perParam: rnd() < 0.5 });
  }
  return { n, init, edges, actions, p: Array.from({ length: n }, () => rnd() < 0.35), q: Array.from({ length: n }, () => rnd() < 0.35), kind: kinds[int(3)]!, fairness };
}

export function graphSpec(g: RandomGraph): Spec<NodeState, { Params: number[] }> {
  const actions: { [name: string]: { params: { x: readonly number[] }; next: (s: NodeState, p: { readonly [k: string]: unknown }) => NodeState[] } } = {};
  for (let a = 0; a < g.actions; a++) {
    actions[`A${a}`] = {
      params: { x: [0, 1] },
      next: (s, p) => g.edges.filter(([f, , act, x]) => f === s.v && act === a && x === p.x).map(([, t]) => Node({ v: t })),
    };
  }
  const P = (s: NodeState): boolean => g.p[s.v]!;
  const Q = (s: NodeState): boolean => g.q[s.v]!;
  const prop: TemporalDefinition<NodeState, { Params: number[] }> =
    g.kind === 'eventually' ? { description: 'P', eventually: P } : g.kind === 'alwaysEventually' ? { description: 'P', alwaysEventually: P } : { description: 'P ~> Q', leadsTo: { from: P, to: Q } };
  return defineSpec({ name: 'RandomGraph', constants: { Params: [0, 1] }, init: () => g.init.map((v) => Node({ v })), actions, checkDeadlock: false, properties: { Prop: prop }, fairness: g.fairness });
}

/** True when the reference finds a fair violating behaviour. */
export function referenceViolated(g: RandomGraph): boolean {

  const steps = g.edges.filter(([f, t]) => f !== t); // self-edges are stuttering
  const reach = (from: number[], allowed: (v: number) => boolean): Set<number> => {
    const seen = new Set(from.filter(allowed));
    const todo = [...seen];
    while (todo.length > 0) {
      const v = todo.pop()!;
      for (const [f, t] of steps) if (f === v && allowed(t) && !seen.has(t)) (seen.add(t), todo.push(t));
    }
    return seen;
  };
  const reachable = reach(g.init, () => true);
  const R = (v: number): boolean => (g.kind === 'leadsTo' ? !g.q[v] : !g.p[v]);
  let start: number[];
  if (g.kind === 'eventually') start = g.init.filter(R);
  else if (g.kind === 'alwaysEventually') start = [...reachable].filter(R);
  else start = [...reachable].filter((v) => g.p[v] && !g.q[v]);
  const inside = reach(start, R);
  const nodes = [...inside];
  const condition = (f: FairnessDefinition): { a: number; x: number | undefined }[] => {
    const a = Number(f.action.slice(1));
    return f.perParam ? [{ a, x: 0 }, { a, x: 1 }] : [{ a, x: undefined }];
  };
  const conditions = g.fairness.flatMap((f) => condition(f).map((c) => ({ kind: f.kind, ...c })));
  for (let mask = 1; mask < 1 << nodes.length; mask++) {
    const U = new Set(nodes.filter((_, i) => (mask >> i) & 1));
    const inner = steps.filter(([f, t]) => U.has(f) && U.has(t));
    const first = [...U][0]!;
    // Strongly connected: every node reaches first and first reaches every node, inside U.
    const fwd = new Set([first]);
    const bwd = new Set([first]);
    for (let changed = true; changed; ) {
      changed = false;
      for (const [f, t] of inner) {
        if (fwd.has(f) && !fwd.has(t)) (fwd.add(t), (changed = true));
        if (bwd.has(t) && !bwd.has(f)) (bwd.add(f), (changed = true));
      }
    }
    if (fwd.size !== U.size || bwd.size !== U.size) continue;
    const fair = conditions.every((c) => {
      const matches = ([, , a, x]: [number, number, number, number]): boolean => a === c.a && (c.x === undefined || x === c.x);
      const enabled = (v: number): boolean => steps.some((e) => e[0] === v && matches(e));
      const taken = inner.some(matches);
      if (taken) return true;
      return c.kind === 'weak' ? [...U].some((v) => !enabled(v)) : [...U].every((v) => !enabled(v));
    });
    if (fair) return true;
  }
  return false;
}
