// A worker thread's view of the coordinator's seen-set in shared memory
// (src/engine/parallel/seenReader.ts): it finds what was handed over, and a
// stale view can miss a state but never find one that is not stored.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeenHandover, SeenReader } from '../../src/engine/parallel/seenReader.ts';
import { FingerprintSet } from '../../src/engine/seenSet.ts';

/** n distinct fingerprints, deterministic (an LCG), none with a zero word. */
function fingerprints(n: number, seed: number): [number, number][] {
  let x = seed;
  const next = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) | 1;
  return Array.from({ length: n }, () => [next() | 0, next() | 0]);
}

describe('SeenReader', () => {
  it('finds every state of the buffers handed over, with the set\'s ids, across chunks and a grown table', () => {
    const seen = new FingerprintSet(1024, true);
    const handover = new SeenHandover();
    const reader = new SeenReader();
    const fps = fingerprints(10_000, 7); // 3 chunks of 4,096 ids; the table grows from 1,024 slots
    fps.slice(0, 500).forEach(([h, l], i) => seen.add(h, l, i - 1));
    reader.apply(handover.delta(seen)!);
    for (let i = 0; i < 500; i++) assert.equal(reader.idOf(...fps[i]!), i);
    fps.slice(500).forEach(([h, l], i) => seen.add(h, l, i));
    // Not handed over yet: the old table holds none of the new states, the new chunks are unknown.
    assert.equal(reader.idOf(...fps[9_999]!), -1);
    assert.equal(reader.idOf(...fps[200]!), 200, 'the old table still finds what it held');
    const d = handover.delta(seen)!;
    assert.ok(d.table !== undefined && d.first === 1 && d.hi.length === 2, 'a grown table and chunks 1 and 2');
    reader.apply(d);
    for (let i = 0; i < fps.length; i++) assert.equal(reader.idOf(...fps[i]!), seen.idOf(...fps[i]!));
    assert.equal(handover.delta(seen), undefined, 'nothing new to hand over');
    for (const [h, l] of fingerprints(2_000, 99)) assert.equal(reader.idOf(h, l), seen.idOf(h, l), 'states not stored are not found');
  });

  it('a fingerprint with a zero word is found only among the states stored before the current level', () => {
    const seen = new FingerprintSet(1024, true);
    const handover = new SeenHandover();
    const reader = new SeenReader();
    seen.add(5, 0, -1); // id 0
    seen.add(0, 9, 0); // id 1
    seen.add(3, 4, 0); // id 2
    reader.apply(handover.delta(seen)!);
    reader.settledBelow = 1;
    // A half-written fingerprint reads 0 in its unwritten word: in the current level such a match is not trusted.
    assert.deepEqual([reader.idOf(5, 0), reader.idOf(0, 9), reader.idOf(3, 4)], [0, -1, 2]);
    reader.settledBelow = 3;
    assert.deepEqual([reader.idOf(5, 0), reader.idOf(0, 9), reader.idOf(3, 4)], [0, 1, 2]);
  });

  it('a slot whose fingerprint is not visible yet reads as a miss, not a hit', () => {
    // As a reader may see it: the table's slot written, the id's words still zero.
    const seen = new FingerprintSet(1024, true);
    const handover = new SeenHandover();
    const reader = new SeenReader();
    seen.add(11, 12, -1);
    const d = handover.delta(seen)!;
    reader.apply({ ...d, hi: [new Uint32Array(4096)], lo: [new Uint32Array(4096)] });
    assert.equal(reader.idOf(11, 12), -1);
    assert.equal(reader.idOf(0, 0), -1);
    assert.equal(reader.idOf(11, 0), -1);
  });
});
