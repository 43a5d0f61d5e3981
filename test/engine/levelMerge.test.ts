// The coordinator's merge of one level (src/engine/parallel/levelMerge.ts),
// fed by hand-made chunks: which successors are new, in frontier order, the
// parent links stored, the counts the tally walks again, and the searchers'
// KNOWN flag (a successor its searcher had met before: no seen-set look-up),
// and the order in which searchers take a level's chunks (chunkStripes.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChunkStripes, STRIPE_MAX } from '../../src/engine/parallel/chunkStripes.ts';
import { LevelMerge } from '../../src/engine/parallel/levelMerge.ts';
import { IN_MODEL, KNOWN, OUT_OK, type Expanded } from '../../src/engine/parallel/protocol.ts';
import { FingerprintSet, NO_PARENT } from '../../src/engine/seenSet.ts';

/** A chunk's answer: per parent, its successors as [fingerprint (hi = lo), action, flag]. */
function expanded(chunk: number, parents: readonly (readonly [number, number, number][])[]): Expanded {
  const all = parents.flat();
  return {
    t: 'expanded',
    run: 1,
    chunk,
    counts: Int32Array.from(parents, (p) => p.length),
    size: all.length,
    fps: Int32Array.from(all.flatMap(([fp]) => [fp, fp])),
    actions: Int32Array.from(all, ([, a]) => a),
    flags: Int32Array.from(all, ([, , f]) => f),
    hits: new Int32Array(0),
    predicateErrors: [],
    error: undefined,
    candidates: { bytes: new Uint8Array(0), offsets: Int32Array.of(0), ordinals: new Int32Array(0), bad: new Int32Array(0), errors: [], hits: new Int32Array(0), predicateErrors: [] },
    table: { strings: [], records: [], values: [] },
  };
}

describe('LevelMerge', () => {
  it('merges chunks in frontier order: new states, parent links, KNOWN successors skipped, tally', () => {
    const seen = new FingerprintSet(16);
    // Level 1: two initial states, fingerprints 1 and 2 (ids 0 and 1).
    seen.add(1, 1, NO_PARENT);
    seen.add(2, 2, NO_PARENT);
    const lm = new LevelMerge(Int32Array.from([0, 1]), seen, 1, true, Infinity);
    // Parent 0: 3 (new), 1 (stored before), 3 again (new earlier in the level).
    const first = lm.merge(0, expanded(0, [[[3, 0, IN_MODEL], [1, 1, IN_MODEL], [3, 1, IN_MODEL]]]));
    assert.deepEqual([...first], [1, 0, 0]);
    // Parent 1: 4 (new); 3 flagged KNOWN by its searcher; 9 flagged KNOWN though never
    // stored: the coordinator trusts the flag (the searcher met it earlier in this
    // level, so an earlier position stored it), looks nothing up and stores nothing;
    // then a successor outside the CONSTRAINT, and 5 (new).
    const second = lm.merge(1, expanded(1, [[[4, 0, IN_MODEL], [3, 1, KNOWN], [9, 1, KNOWN], [0, 0, OUT_OK], [5, 1, IN_MODEL]]]));
    assert.deepEqual([...second], [1, 0, 0, 0, 1]);
    assert.equal(lm.stop, undefined);
    assert.equal(seen.size, 5);
    assert.equal(seen.has(9, 9), false);
    assert.deepEqual([...lm.nextIds.done()], [2, 3, 4]);
    assert.deepEqual([2, 3, 4].map((id) => seen.parentOf(id)), [0, 1, 1]);
    // Every successor is generated (8), three are new; actions 0 and 1 in order.
    const t = lm.tally(undefined, [0, 1], 2);
    assert.deepEqual([t.generated, t.fresh, t.parentsStarted], [8, 3, 2]);
    assert.deepEqual([...t.coverageGenerated], [3, 5]);
    assert.deepEqual([...t.coverageDistinct], [2, 1]);
  });
});

describe('ChunkStripes', () => {
  it('gives each searcher a stripe (its share of the level) front to back, then the back of the largest stripe left', () => {
    const stripes = new ChunkStripes(10, 2); // stripes of 5: 0-4 and 5-9
    const taken = [0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0].map((r) => stripes.take(r, Infinity));
    // Searcher 1 finishes 5-9, then takes 4 from the back of stripe 0; searcher 0 ends with 2 and 3.
    assert.deepEqual(taken, [0, 5, 6, 7, 1, 8, 9, 4, 2, 3, -1]);
  });

  it('claims stripes in frontier order, never at or past the limit (a level that stops early)', () => {
    const stripes = new ChunkStripes(10, 2);
    // Searcher 1 asks first and claims 0-4; searcher 0 claims 5-9, of which 5 and 6 are below the limit.
    assert.deepEqual([1, 1, 1, 0, 0, 0, 0].map((r) => stripes.take(r, 7)), [0, 1, 2, 5, 6, 4, 3]);
    assert.equal(stripes.take(1, 7), -1);
  });

  it('cuts stripes of ceil(7 / 3) = 3 chunks for three searchers', () => {
    const stripes = new ChunkStripes(7, 3); // 0-2, 3-5, 6
    assert.deepEqual([0, 1, 2, 0, 0, 0].map((r) => stripes.take(r, Infinity)), [0, 3, 6, 1, 2, 5]);
  });

  it(`cuts a large level in stripes of at most ${STRIPE_MAX} chunks, claimed in order`, () => {
    const stripes = new ChunkStripes(1000, 2);
    assert.deepEqual([stripes.take(0, Infinity), stripes.take(1, Infinity)], [0, STRIPE_MAX]);
    for (let c = 1; c < STRIPE_MAX; c++) assert.equal(stripes.take(0, Infinity), c);
    assert.equal(stripes.take(0, Infinity), 2 * STRIPE_MAX);
  });
});
