// The fair-SCC search for one temporal property (docs/adr/0015-liveness.md).
//
// The negation of each property kind is a two-state Büchi automaton whose
// accepting part only asks that a restriction R hold forever after a trigger:
//   <>P      violated by  []~P          R = ~P, trigger: an initial state in R
//   []<>P    violated by  <>[]~P        R = ~P, trigger: any reachable state in R
//   P ~> Q   violated by  <>(P /\ []~Q) R = ~Q, trigger: a reachable P /\ ~Q state
// So the product with the graph is the subgraph G' of the states reachable
// from a trigger through R states, and the property is violated iff G'
// contains a fair cycle. Every state may stutter, so every SCC of G' holds a
// cycle. An SCC C (its maximal cycle visits every state and edge of C) is fair
// when, for every fairness condition A:
//   WF(A): A is disabled at some state of C, or an A-edge lies inside C;
//   SF(A): an A-edge lies inside C, or A is disabled at every state of C.
// A WF failure cannot be mended by a sub-cycle (A stays enabled everywhere,
// still never taken): C is dropped. An SF failure can: the states where A is
// enabled are removed, the rest is decomposed again (Emerson-Lei refinement).
import type { FairnessInstance, TemporalInstance } from '../spec.ts';
import { LABEL_P, LABEL_Q, type BehaviourGraph } from './behaviourGraph.ts';
import { forEachScc, SccScratch } from './scc.ts';

/** A fair SCC and how its cycle satisfies each fairness condition. */
export interface FairComponent {
  readonly states: readonly number[];
  /** Per fairness condition: an edge index inside the component taking it, or -1. */
  readonly takenEdge: readonly number[];
  /** Per fairness condition: a state of the component where it is disabled, or -1. */
  readonly disabledAt: readonly number[];
}

export interface FairSearch {
  /** inRestriction[v] = 1 when v satisfies R. */
  readonly inRestriction: Uint8Array;
  /** isTrigger[v] = 1 when the automaton may enter its accepting part at v. */
  readonly isTrigger: Uint8Array;
  /** Whether the trigger must be an initial state (eventually). */
  readonly triggerAtInit: boolean;
  /** componentOf[v]: index into components, or -1. */
  readonly componentOf: Int32Array;
  readonly components: readonly FairComponent[];
  readonly bytes: number;
}

export function findFairComponents(g: BehaviourGraph, k: number, property: Pick<TemporalInstance<unknown>, 'kind'>, fairness: readonly FairnessInstance[], scratch: SccScratch): FairSearch {
  const n = g.size;
  const inR = new Uint8Array(n);
  const isTrigger = new Uint8Array(n);
  for (let v = 0; v < n; v++) {
    const bits = g.labels[v * g.properties + k]!;
    const r = property.kind === 'leadsTo' ? (bits & LABEL_Q) === 0 : (bits & LABEL_P) === 0;
    if (!r) continue;
    inR[v] = 1;
    if (property.kind === 'alwaysEventually' || (property.kind === 'leadsTo' && (bits & LABEL_P) !== 0)) isTrigger[v] = 1;
  }
  const triggerAtInit = property.kind === 'eventually';
  if (triggerAtInit) for (const v of g.initial) if (inR[v] === 1) isTrigger[v] = 1;

  // G': reachable from a trigger through R states.
  const member = new Int32Array(n);
  const queue = new Int32Array(n);
  let qt = 0;
  const STAMP = 1;
  for (let v = 0; v < n; v++) if (isTrigger[v] === 1) {
    member[v] = STAMP;
    queue[qt++] = v;
  }
  for (let qh = 0; qh < qt; qh++) {
    const v = queue[qh]!;
    for (let e = g.edgeStart[v]!; e < g.edgeStart[v + 1]!; e++) {
      const w = g.edgeTo[e]!;
      if (inR[w] === 1 && member[w] !== STAMP) {
        member[w] = STAMP;
        queue[qt++] = w;
      }
    }
  }

  const F = fairness.length;
  const fairOf: number[][] = [];
  fairness.forEach((f, i) => f.instances.forEach((a) => (fairOf[a] ??= []).push(i)));
  const enabledAt = (v: number, f: number): boolean => (g.enabled[v * g.words + (f >> 5)]! & (1 << (f & 31))) !== 0;

  const componentOf = new Int32Array(n).fill(-1);
  const components: FairComponent[] = [];
  let nextStamp = STAMP + 1;
  const work: { nodes: number[]; stamp: number }[] = [{ nodes: Array.from(queue.subarray(0, qt)), stamp: STAMP }];
  while (work.length > 0) {
    const item = work.pop()!;
    const found: number[][] = [];
    forEachScc(g, item.nodes, member, item.stamp, scratch, (c) => found.push(c));
    for (const c of found) {
      const stamp = nextStamp++;
      for (const v of c) member[v] = stamp;
      const takenEdge = new Array<number>(F).fill(-1);
      const disabledAt = new Array<number>(F).fill(-1);
      const enabledSomewhere = new Array<boolean>(F).fill(false);
      for (const v of c) {
        for (let f = 0; f < F; f++) {
          if (enabledAt(v, f)) enabledSomewhere[f] = true;
          else if (disabledAt[f] === -1) disabledAt[f] = v;
        }
        for (let e = g.edgeStart[v]!; e < g.edgeStart[v + 1]!; e++) {
          if (member[g.edgeTo[e]!] !== stamp) continue;
          for (const f of fairOf[g.edgeAction[e]!] ?? []) if (takenEdge[f] === -1) takenEdge[f] = e;
        }
      }
      let weakFails = false;
      const strongFails: number[] = [];
      for (let f = 0; f < F; f++) {
        if (takenEdge[f] !== -1) continue;
        if (fairness[f]!.kind === 'weak' ? disabledAt[f] === -1 : enabledSomewhere[f]) {
          if (fairness[f]!.kind === 'weak') weakFails = true;
          else strongFails.push(f);
        }
      }
      if (weakFails) continue;
      if (strongFails.length > 0) {
        const rest = c.filter((v) => strongFails.every((f) => !enabledAt(v, f)));
        if (rest.length > 0) {
          const s = nextStamp++;
          for (const v of rest) member[v] = s;
          work.push({ nodes: rest, stamp: s });
        }
        continue;
      }
      const id = components.length;
      for (const v of c) componentOf[v] = id;
      components.push({ states: c, takenEdge, disabledAt });
    }
  }
  return { inRestriction: inR, isTrigger, triggerAtInit, componentOf, components, bytes: n * 14 };
}
