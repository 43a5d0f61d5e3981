// The claims docs/spec-api.md makes to porters, checked: which values are one
// state ("State equality") and how "states generated" counts successors
// produced by \/ and \E ("Counting states generated as TLC does").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { List, Map as IMap, Range, Record, Set as ISet } from 'immutable';
import { defineSpec, modelValue } from '../../src/engine/index.ts';
import { checkSpec } from '../support/checkSpec.ts';

const V = Record<{ x: unknown }>({ x: 0 });
type V = ReturnType<typeof V>;

/** Init x = a, one action x' = b, nothing after: 2 states if a and b differ as states, else 1. */
function twoValues(a: unknown, b: unknown) {
  return defineSpec({
    name: 'TwoValues',
    constants: {},
    init: () => [V({ x: a })],
    actions: { Step: (s: V) => (s.x === a ? V({ x: b }) : false) },
    checkDeadlock: false,
  });
}

function distinct(spec: ReturnType<typeof twoValues>): number {
  return checkSpec(spec).stats.distinct;
}

describe('state equality (docs/spec-api.md)', () => {
  it('records whose Record types declare the fields in another order are two states', () => {
    const AB = Record({ a: 0, b: 0 });
    const BA = Record({ b: 0, a: 0 });
    assert.equal(distinct(twoValues(AB({ a: 1, b: 2 }), BA({ a: 1, b: 2 }))), 2);
    // Normalised: one factory per record shape.
    assert.equal(distinct(twoValues(AB({ a: 1, b: 2 }), AB({ b: 2, a: 1 }))), 1);
  });

  it('a List and a Map on 1..n are two states; converting the Map makes them one', () => {
    const m = IMap<number, string>([[1, 'x'], [2, 'y']]);
    assert.equal(distinct(twoValues(List(['x', 'y']), m)), 2);
    assert.equal(distinct(twoValues(List(['x', 'y']), List(Range(1, 3).map((i) => m.get(i)!)))), 1);
  });

  it('a Record and a Map with string keys are two states', () => {
    assert.equal(distinct(twoValues(Record({ a: 0 })({ a: 1 }), IMap([['a', 1]]))), 2);
  });

  it('a string and the model value of the same name are two states', () => {
    assert.equal(distinct(twoValues('r1', modelValue('r1'))), 2);
    assert.equal(distinct(twoValues(modelValue('r1'), modelValue('r1'))), 1);
  });

  it('1 and 1n are two states; Sets built in another order are one', () => {
    assert.equal(distinct(twoValues(1, 1n)), 2);
    assert.equal(distinct(twoValues(ISet([1, 2]), ISet([2, 1]))), 1);
  });
});

describe('states generated as TLC counts them (docs/spec-api.md)', () => {
  // Next == \/ A    A == x = 0 /\ (x' = 1 \/ x' = 1)
  //         \/ \E i \in {1, 2} : B(i)    B(i) == x = 0 /\ x' = 1
  // TLC splits Next into A, B(1), B(2); from x = 0, A yields 2 successors (one per
  // disjunct), B(1) and B(2) one each: 1 initial + 4 = 5 generated, 2 distinct,
  // depth 2. x = 1 has no successor (deadlock checking off).
  const X = Record({ x: 0 });
  type X = ReturnType<typeof X>;
  const one = X({ x: 1 });

  it('duplicates from \\/ and \\E are counted, once per successor', () => {
    const spec = defineSpec({
      name: 'Dup',
      constants: {},
      init: () => [X()],
      actions: {
        A: (s: X) => s.x === 0 && [one, one],
        B: { params: { i: [1, 2] }, next: (s: X) => s.x === 0 && one },
      },
      checkDeadlock: false,
    });
    const r = checkSpec(spec);
    assert.deepEqual([r.stats.generated, r.stats.distinct, r.stats.depth], [5, 2, 2]);
  });

  it('deduplicating inside an action keeps distinct and loses generated', () => {
    const spec = defineSpec({
      name: 'Dedup',
      constants: {},
      init: () => [X()],
      actions: { A: (s: X) => s.x === 0 && [...ISet([one, one])] },
      checkDeadlock: false,
    });
    const r = checkSpec(spec);
    // 1 initial + 1 successor.
    assert.deepEqual([r.stats.generated, r.stats.distinct], [2, 2]);
  });
});
