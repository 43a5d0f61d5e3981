// Fingerprints: Immutable.is-equal values get one fingerprint whatever the
// insertion order; values of different kinds or contents get different ones.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { List, Map as IMap, Record, Set as ISet } from 'immutable';
import { fingerprint, fpHi, fpLo } from '../../src/engine/fingerprint.ts';

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
