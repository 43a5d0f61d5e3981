// The coordinator's verdict on a merged chunk (src/engine/parallel/chunkVerdict.ts),
// on hand-made candidates: which bytes go into the next frontier's block, in
// order; the first new candidate that violates an invariant (or on which one
// threw) ends the chunk; candidates found not new count for nothing, neither
// their invariant verdicts nor their cover and premise hits.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chunkVerdict } from '../../src/engine/parallel/chunkVerdict.ts';
import { IN_MODEL, THREW, type Expanded, type SerialError, type StateBlock } from '../../src/engine/parallel/protocol.ts';

const boom: SerialError = { code: undefined, message: 'boom', hints: [], location: undefined };

/**
 * One parent with `size` successors, all IN_MODEL; candidate i is the byte string [10 + i, 10 + i]
 * (of length i + 1, so that offsets matter), at ordinal `ordinals[i]`, with invariant verdict `bad[i]`.
 */
function expanded(size: number, ordinals: number[], bad: number[], hits: number[] = []): Expanded {
  const parts = ordinals.map((_, i) => new Uint8Array(i + 1).fill(10 + i));
  const offsets = new Int32Array(parts.length + 1);
  parts.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
  const bytes = new Uint8Array(offsets[parts.length]! + 7); // a writer's buffer is larger than its content
  parts.forEach((p, i) => bytes.set(p, offsets[i]!));
  return {
    t: 'expanded',
    run: 1,
    chunk: 4,
    counts: Int32Array.of(size),
    size,
    fps: new Int32Array(2 * size),
    actions: new Int32Array(size),
    flags: new Int32Array(size).fill(IN_MODEL),
    hits: new Int32Array(0),
    predicateErrors: [],
    error: undefined,
    candidates: {
      bytes,
      offsets,
      ordinals: Int32Array.from(ordinals),
      bad: Int32Array.from(bad),
      errors: ordinals.filter((_, i) => bad[i] === THREW).map((ordinal) => ({ ordinal, error: boom })),
      hits: Int32Array.from(hits),
      predicateErrors: [{ predicate: 1, ordinal: ordinals[0]!, error: boom }],
    },
    table: { strings: [{ id: 7, text: 'x' }], records: [], values: [] },
  };
}

/** The states of a block, as arrays of bytes. */
function statesOf(block: StateBlock | undefined): number[][] {
  assert.ok(block !== undefined);
  const n = new Int32Array(block, 0, 1)[0]!;
  const offsets = new Int32Array(block, 4, n);
  const bytes = new Uint8Array(block);
  return Array.from(offsets, (at, i) => Array.from(bytes.subarray(at, i + 1 < n ? offsets[i + 1] : bytes.length)));
}

describe('chunkVerdict', () => {
  it('keeps the new candidates, in order, and only their hits', () => {
    // Successors 0..4; candidates at 0, 2, 3, 4; 2 was stored by an earlier chunk.
    const e = expanded(5, [0, 2, 3, 4], [-1, 0, -1, -1], [0, 0, 0, 2, 1, 3]);
    const v = chunkVerdict(e, Uint8Array.of(1, 0, 0, 1, 1));
    assert.deepEqual(statesOf(v.block), [[10], [12, 12, 12], [13, 13, 13, 13]]);
    // Candidate 2 violates invariant 0, but it is not new: no failure.
    assert.equal(v.failure, undefined);
    assert.equal(v.error, undefined);
    assert.deepEqual(Array.from(v.hits), [0, 0, 1, 3]);
    assert.deepEqual(v.predicateErrors.map((x) => x.ordinal), [0]);
    assert.equal(v.chunk, 4);
    assert.deepEqual(v.table.strings, [{ id: 7, text: 'x' }]);
  });

  it('ends at the first new candidate that violates an invariant: no block, nothing after it', () => {
    const e = expanded(4, [0, 1, 2, 3], [-1, 1, 0, -1], [0, 1, 2, 3, 3, 2]);
    const v = chunkVerdict(e, Uint8Array.of(1, 1, 1, 1));
    assert.deepEqual(v.failure, { ordinal: 1, invariant: 1 });
    assert.equal(v.block, undefined);
    // A hit on the failing state itself counts (it is scanned before its invariants are checked).
    assert.deepEqual(Array.from(v.hits), [0, 1]);
  });

  it('ends at the first new candidate on which an invariant threw, with its error', () => {
    const e = expanded(3, [0, 1, 2], [THREW, THREW, 0]);
    const v = chunkVerdict(e, Uint8Array.of(0, 1, 1));
    assert.equal(v.failure, undefined);
    assert.deepEqual(v.error, { ordinal: 1, error: boom });
    assert.equal(v.block, undefined);
    assert.deepEqual(v.predicateErrors, []);
  });

  it('no new candidate: an empty block is no block', () => {
    const v = chunkVerdict(expanded(2, [0, 1], [-1, -1]), Uint8Array.of(0, 0));
    assert.equal(v.block, undefined);
    assert.equal(v.failure, undefined);
  });
});
