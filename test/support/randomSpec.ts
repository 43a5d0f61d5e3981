// Random small specs for the differential test. Each spec has four variables of
// different kinds (an integer, a set, a function, a sequence) and a handful of
// random actions, some with parameters, some returning several successors,
// some rebuilding a Set or Map in another insertion order (the same state,
// which both explorers must count once), plus random invariants, an optional
// constraint and deadlock checking on or off. Seeded, so failures reproduce.
import { List, Map as IMap, Record, Set as ISet } from 'immutable';
import { defineSpec, type ActionDefinition, type Spec } from '../../src/engine/spec.ts';

const Vars = Record({ x: 0, bag: ISet<number>(), f: IMap<string, number>(), seq: List<number>() });
export type RandomState = ReturnType<typeof Vars>;

/** mulberry32: a tiny deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Op = 'inc' | 'toggle' | 'map' | 'push' | 'multi' | 'rebuild' | 'reset';
const OPS: readonly Op[] = ['inc', 'toggle', 'map', 'push', 'multi', 'rebuild', 'reset'];

export function randomSpec(seed: number): Spec<RandomState, { D: number }> {
  const rnd = prng(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const D = 2 + int(5);
  const actions: { [name: string]: ActionDefinition<RandomState, { D: number }> } = {};
  const nActions = 2 + int(4);
  for (let i = 0; i < nActions; i++) {
    const op = OPS[int(OPS.length)]!;
    const a = 1 + int(3);
    const g1 = int(3);
    const g2 = int(3);
    const gm = 2 + int(3);
    const enabled = (s: RandomState, p: number): boolean => (s.x * g1 + s.bag.size * g2 + p + s.seq.size) % gm !== 0;
    const apply = (s: RandomState, p: number, c: { D: number }): RandomState | RandomState[] => {
      switch (op) {
        case 'inc':
          return s.set('x', (s.x + a + p) % c.D);
        case 'toggle': {
          const e = (s.x + a) % 4;
          return s.set('bag', s.bag.has(e) ? s.bag.delete(e) : s.bag.add(e));
        }
        case 'map': {
          const key = p === 0 ? 'a' : 'b';
          return s.set('f', s.f.set(key, ((s.f.get(key) ?? 0) + a) % 3));
        }
        case 'push':
          return s.set('seq', s.seq.size < 2 ? s.seq.push(s.x % 3) : s.seq.shift());
        case 'multi':
          return [s.set('x', (s.x + 1) % c.D), s.set('bag', s.bag.add(a % 4)), s.set('x', (s.x + 1) % c.D)];
        case 'rebuild':
          return s.merge({
            bag: ISet([...s.bag].reverse()),
            f: IMap([...s.f.entries()].reverse()),
            x: (s.x * a) % c.D,
          });
        case 'reset':
          return Vars();
      }
    };
    const name = `A${i}_${op}`;
    if (rnd() < 0.5) {
      actions[name] = { params: { p: [0, 1] }, next: (s, q, c) => (enabled(s, q.p as number) ? apply(s, q.p as number, c) : undefined) };
    } else {
      actions[name] = (s, c) => (enabled(s, 0) ? apply(s, 0, c) : undefined);
    }
  }
  const t1 = int(D + 2);
  const t2 = int(4);
  const withConstraint = rnd() < 0.3;
  const limit = 1 + int(2);
  const severalInits = rnd() < 0.3;
  const checkDeadlock = rnd() < 0.7;
  return defineSpec({
    name: `Random${seed}`,
    constants: { D },
    init: () => (severalInits ? [Vars(), Vars({ x: 1 }), Vars()] : [Vars()]),
    actions,
    invariants: {
      Rare: { description: 'x and the bag size never hit the chosen pair', holds: (s) => !(s.x === t1 && s.bag.size === t2) },
      Small: { description: 'the function has at most two keys', holds: (s) => s.f.size <= 2 },
    },
    ...(withConstraint ? { constraint: (s: RandomState) => s.seq.size <= limit } : {}),
    checkDeadlock,
  });
}
