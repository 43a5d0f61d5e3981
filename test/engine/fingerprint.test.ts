// Fingerprints: Immutable.is-equal values get one fingerprint whatever the
// insertion order; values of different kinds or contents get different ones.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { List, Map as IMap, OrderedMap, OrderedSet, Record, Set as ISet } from 'immutable';
import { fingerprint, fpHi, fpLo } from '../../src/engine/fingerprint.ts';
import { modelValue, modelValues } from '../../src/engine/modelValue.ts';

function fp(v: unknown): string {
  fingerprint(v);
  return `${(fpHi >>> 0).toString(16)}:${(fpLo >>> 0).toString(16)}`;
}

describe('fingerprint', () => {
  it('ignores insertion order of Sets and Maps', () => {
    assert.equal(fp(ISet([1, 2, 3])), fp(ISet([3, 1, 2])));
    assert.equal(fp(IMap([['a', 1], ['b', 2]])), fp(IMap([['b', 2], ['a', 1]])));
    const R = Record({ s: ISet<string>(), m: IMap<string, number>() });
    assert.equal(fp(R({ s: ISet(['x', 'y']), m: IMap({ p: 1, q: 2 }) })), fp(R({ s: ISet(['y', 'x']), m: IMap({ q: 2, p: 1 }) })));
  });

  it('keeps the order of Lists', () => {
    assert.notEqual(fp(List([1, 2])), fp(List([2, 1])));
  });

  it('tells kinds apart', () => {
    const all = [1, '1', true, 1n, List([1]), ISet([1]), IMap([[1, 1]]), List(), ISet(), IMap(), 0, '', false];
    assert.equal(new Set(all.map(fp)).size, all.length);
  });

  it('tells Records with the same values but other field names apart', () => {
    const A = Record({ a: 1 });
    const B = Record({ b: 1 });
    assert.notEqual(fp(A()), fp(B()));
  });

  it('a field left at its default fingerprints as the same value stored explicitly; a null default is refused when met (KLP109)', () => {
    const Inner = Record({ q: 1 }, 'Inner');
    const T = Record({ name: 'idle', inner: Inner(), tags: ISet(['a']), n: 0 }, 'T');
    // Fields set to values equal to their defaults but other objects: stored, not left undefined.
    const explicit = T().set('inner', Inner({ q: 2 }).set('q', 1)).set('tags', ISet(['a']));
    assert.ok((explicit as unknown as { _values: List<unknown> })._values.toArray().filter((x) => x !== undefined).length === 2);
    fingerprint(T());
    const [hi, lo] = [fpHi, fpLo];
    fingerprint(explicit);
    assert.deepEqual([fpHi, fpLo], [hi, lo]);
    fingerprint(T({ n: 1 }));
    assert.notDeepEqual([fpHi, fpLo], [hi, lo]);
    const WithNull = Record({ x: null as number | null, y: 0 }, 'WithNull');
    fingerprint(WithNull({ x: 1 }));
    assert.throws(() => fingerprint(WithNull()), (e: unknown) => (e as { code?: string }).code === 'KLP109');
  });

  it('memoises without going stale: an updated copy gets a new fingerprint', () => {
    const m = IMap({ a: List([1, 2]) });
    const before = fp(m);
    const changed = m.update('a', (l) => l!.push(3));
    assert.notEqual(fp(changed), before);
    assert.equal(fp(m), before);
    assert.equal(fp(changed.update('a', (l) => l!.pop())), before);
  });

  it('has no collisions on 200,000 distinct small states', () => {
    const R = Record({ x: 0, y: 0, s: ISet<number>() });
    const seen = new Set<string>();
    for (let x = 0; x < 1000; x++) for (let y = 0; y < 200; y++) seen.add(fp(R({ x, y, s: ISet([x % 7, y % 5]) })));
    assert.equal(seen.size, 200_000);
  });
});

// The fast walk reads Immutable's internal nodes (docs/adr/0016-fast-fingerprints.md).
// These fingerprints were computed by the previous implementation, which used
// only Immutable's public API (forEach, Record.get; commit ba2d568): the fast
// walk must give the same bits on every shape of node, so stored fingerprints,
// counts and collision estimates do not move.
describe('fingerprint: internal-node walk equals the public-API walk', () => {
  const R = Record({ a: 0, b: 'x', s: ISet<number>() });
  const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
  const cases: [string, unknown, string][] = [
    ['empty List', List(), 'c5887ee657b6c29e'],
    ['List of 3 (tail only)', List([1, 2, 3]), 'a358cd3fb142fe07'],
    ['List of 40 (trie)', List(range(40)), 'c565e1d34d3f6985'],
    ['List of 1000', List(range(1000)), 'c5cc9376342b3fea'],
    ['shifted List (origin 1)', List([9, 1, 2, 3]).shift(), 'a358cd3fb142fe07'],
    ['shifted List of 40', List(range(41)).shift(), '689fee917e6a6655'],
    ['empty Set', ISet(), '4565ec72e1dc218e'],
    ['Set of 5 (array node)', ISet([5, 4, 3, 2, 1]), '6195bf567186330b'],
    ['Set of 100 (bitmap/array nodes)', ISet(range(100)), '7a3e7741bb78519b'],
    ['Set of 5000', ISet(range(5000)), 'b37665e6c4648b82'],
    ['empty Map', IMap(), '588bb27d6ab9616d'],
    ['Map of 3', IMap({ a: 1, b: 2, c: 3 }), '0867e75924c1afe7'],
    ['Map of 20', IMap(range(20).map((i) => [i, `v${i}`])), '3503537467f90f6a'],
    ['Map of 3000', IMap(range(3000).map((i) => [`k${i}`, i])), '7145b7cdda8216e4'],
    ['Record with defaults', R(), 'b35657b31c74aafa'],
    ['Record with fields set', R({ a: 3, s: ISet([1, 2]) }), '6b46698e6563bdcb'],
    ['Set of Records', ISet(range(30).map((i) => R({ a: i, b: String(i % 3) }))), '8a37f89b01c64859'],
    ['OrderedMap (public-API path)', OrderedMap({ b: 2, a: 1 }), 'f4d8a42d4efbda18'],
    ['OrderedSet (public-API path)', OrderedSet([3, 1, 2]), '1a88dd3b317347b4'],
    ['nested', IMap({ x: List([ISet([List([1]), IMap({ q: R({ a: 1 }) })])]) }), '9687706e1f222195'],
    // Model values carry their fingerprint and Set share from construction (modelValue.ts); the bits
    // are those the walk computed from the name before, in the fast walk and the public-API one.
    ['model value', modelValue('r1'), 'f4fb048de4da0eca'],
    ['Set of model values', ISet(modelValues('a1', 'a2', 'a3')), 'b2c75517593236e4'],
    ['OrderedSet of model values (public-API path)', OrderedSet(modelValues('a3', 'a1', 'a2')), 'b2c75517593236e4'],
    ['Map keyed by model values', IMap([[modelValue('a1'), 'working'], [modelValue('a2'), 'prepared']]), 'a8940799e8a524a3'],
    ['List of model values', List(modelValues('a2', 'a1')), '4a1a5926cf704886'],
  ];
  const hex = (v: unknown): string => {
    fingerprint(v);
    return (fpHi >>> 0).toString(16).padStart(8, '0') + (fpLo >>> 0).toString(16).padStart(8, '0');
  };
  for (const [name, value, expected] of cases) {
    it(name, () => assert.equal(hex(value), expected));
  }

  it('a Set emptied by removal and a Map after deletes equal fresh ones', () => {
    assert.equal(hex(ISet([1, 2]).remove(1).remove(2)), hex(ISet()));
    assert.equal(hex(IMap(range(40).map((i) => [i, i])).filter((_, k) => k < 3)), hex(IMap([[0, 0], [1, 1], [2, 2]])));
    assert.equal(hex(R({ a: 5 }).set('a', 0)), hex(R()));
  });
});
