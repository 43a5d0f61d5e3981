// The small-Map look-ups and updates installed by src/engine/mapFast.ts must
// give exactly what Immutable.js's own give: the same entries in the same
// order, the same keys kept, the same collection returned when nothing
// changed. Each random sequence of operations is run twice, with ours and with
// Immutable's own methods put back, and the results compared step by step.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { List, Map as IMap, Record, Set as ISet } from 'immutable';
import '../../src/engine/value.ts';
import { mapNodeMethodsReplaced, withImmutableOwnMapNodes } from '../../src/engine/mapFast.ts';
import { modelValues } from '../../src/engine/modelValue.ts';

/** A deterministic pseudo-random generator (LCG), so failures reproduce. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

const XY = Record({ x: 0, y: 0 }, 'XY');
const YX = Record({ y: 0, x: 0 }, 'YX');
const Msg = Record({ type: 'phase2b', ins: 'r1', bal: 0 }, 'Msg');

/** A value object of our own: equal by id, its hash chosen (so that keys collide in a trie). */
class Key {
  constructor(
    readonly id: number,
    readonly h: number,
  ) {}
  equals(other: unknown): boolean {
    return other instanceof Key && other.id === this.id;
  }
  hashCode(): number {
    return this.h;
  }
}

/**
 * Keys of every kind a Map compares: primitives (NaN, 0 and -0, null, undefined), model values,
 * records equal but not identical (also of two types with their fields in another order, which
 * Immutable calls equal), records with their hash cached and without, collections, Dates (equal
 * by valueOf, also to the number), and value objects whose hashes collide.
 */
function keyPool(): unknown[] {
  const [r1, r2, r3] = modelValues('r1', 'r2', 'r3');
  const hashed = Msg({ bal: 1 });
  hashed.hashCode();
  return [
    0, -0, 1, 2, 'a', 'b', '', NaN, true, false, null, undefined,
    r1, r2, r3,
    XY({ x: 1 }), XY({ x: 1 }), YX({ x: 1 }), XY({ y: 2 }), YX({ y: 2 }),
    Msg(), Msg({ bal: 1 }), hashed, Msg({ ins: 'r2' }), Msg({ type: 'phase1a', bal: 1 }),
    List([1, 2]), List([1, 2]), ISet(['a']), IMap({ a: 1 }),
    new Date(5), new Date(5), 5,
    new Key(1, 7), new Key(2, 7), new Key(1, 7), new Key(3, 7 + 32), new Key(4, 9),
  ];
}

type AnyMap = IMap<unknown, unknown>;

/** Entries in iteration order, the keys as the very objects kept. */
const entriesOf = (m: AnyMap): [unknown, unknown][] => [...m.entries()];

function assertSameEntries(ours: AnyMap, own: AnyMap, what: string): void {
  const a = entriesOf(ours);
  const b = entriesOf(own);
  assert.equal(a.length, b.length, `${what}: size`);
  for (let i = 0; i < a.length; i++) {
    assert.ok(Object.is(a[i]![0], b[i]![0]), `${what}: key ${i}`);
    assert.ok(Object.is(a[i]![1], b[i]![1]), `${what}: value ${i}`);
  }
}

describe('small-Map look-ups and updates (engine fast path)', () => {
  it('are installed on this Immutable (ArrayMapNode get and update, ValueNode get)', () => {
    assert.equal(mapNodeMethodsReplaced(), 3);
  });

  it('Map set, remove, get and has give what Immutable own give, step by step', () => {
    const keys = keyPool();
    const values = [1, 2, 'v', keys[12]];
    for (let seed = 1; seed <= 40; seed++) {
      const r = lcg(seed);
      let ours: AnyMap = IMap();
      let own: AnyMap = withImmutableOwnMapNodes(() => IMap());
      // Up to 20 keys: Maps grow past 8 entries into tries and shrink back.
      const limit = 4 + (seed % 17);
      for (let step = 0; step < 200; step++) {
        const k = keys[Math.floor(r() * Math.min(keys.length, limit + 12))];
        const v = values[Math.floor(r() * values.length)];
        const op = r();
        const what = `seed ${seed} step ${step}`;
        if (op < 0.55) {
          const a = ours.set(k, v);
          const b = withImmutableOwnMapNodes(() => own.set(k, v));
          assert.equal(a === ours, b === own, `${what}: set unchanged`);
          ours = a;
          own = b;
        } else if (op < 0.8) {
          const a = ours.remove(k);
          const b = withImmutableOwnMapNodes(() => own.remove(k));
          assert.equal(a === ours, b === own, `${what}: remove unchanged`);
          ours = a;
          own = b;
        } else {
          assert.ok(Object.is(ours.get(k, 'none'), withImmutableOwnMapNodes(() => own.get(k, 'none'))), `${what}: get`);
          assert.equal(ours.has(k), withImmutableOwnMapNodes(() => own.has(k)), `${what}: has`);
        }
        assertSameEntries(ours, own, what);
        for (const probe of keys) assert.equal(ours.has(probe), withImmutableOwnMapNodes(() => own.has(probe)), `${what}: has after`);
      }
    }
  });

  it('withMutations (nodes edited in place) gives what Immutable own give', () => {
    const keys = keyPool();
    for (let seed = 1; seed <= 20; seed++) {
      const run = (): AnyMap => {
        const r = lcg(seed);
        return IMap<unknown, unknown>().withMutations((m) => {
          for (let step = 0; step < 60; step++) {
            const k = keys[Math.floor(r() * 12) + (seed % 8)];
            if (r() < 0.7) m.set(k, step);
            else m.remove(k);
          }
        });
      };
      assertSameEntries(run(), withImmutableOwnMapNodes(run), `seed ${seed}`);
    }
  });

  it('Set add, remove and has of records give what Immutable own give', () => {
    const keys = keyPool().filter((k) => typeof k === 'object' && k !== null);
    for (let seed = 1; seed <= 30; seed++) {
      const r = lcg(seed);
      let ours = ISet<unknown>();
      let own = withImmutableOwnMapNodes(() => ISet<unknown>());
      for (let step = 0; step < 100; step++) {
        const k = keys[Math.floor(r() * keys.length)];
        if (r() < 0.65) {
          const a = ours.add(k);
          const b = withImmutableOwnMapNodes(() => own.add(k));
          assert.equal(a === ours, b === own, `seed ${seed} step ${step}: add unchanged`);
          ours = a;
          own = b;
        } else {
          ours = ours.remove(k);
          own = withImmutableOwnMapNodes(() => own.remove(k));
        }
        const a = [...ours];
        const b = [...own];
        assert.equal(a.length, b.length);
        a.forEach((x, i) => assert.ok(Object.is(x, b[i]), `seed ${seed} step ${step}: element ${i}`));
        // A fresh probe record (no cached hash) and a hashed one, of each kind.
        for (const probe of [XY({ x: 1 }), YX({ x: 1 }), Msg({ bal: 1 }), Msg({ ins: 'r2' })]) {
          assert.equal(ours.has(probe), withImmutableOwnMapNodes(() => own.has(probe)), `seed ${seed} step ${step}: has`);
        }
      }
    }
  });
});
