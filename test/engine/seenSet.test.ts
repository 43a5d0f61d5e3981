// The seen-set: exact membership, dense ids with parent links, and the memory
// budget of at most 24 bytes per distinct state at every size.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FingerprintSet, NO_PARENT } from '../../src/engine/seenSet.ts';
import { prng } from '../support/randomSpec.ts';

describe('FingerprintSet', () => {
  it('adds each fingerprint once and keeps parent links', () => {
    const set = new FingerprintSet(16);
    assert.equal(set.add(1, 2, NO_PARENT), 0);
    assert.equal(set.add(1, 2, 0), -1);
    assert.equal(set.add(2, 1, 0), 1);
    assert.equal(set.add(-1, -1, 1), 2);
    assert.equal(set.add(-1, -1, 1), -1);
    assert.deepEqual([set.parentOf(0), set.parentOf(1), set.parentOf(2)], [NO_PARENT, 0, 1]);
    assert.deepEqual([set.hiOf(2), set.loOf(2)], [0xffffffff, 0xffffffff]);
    assert.ok(set.has(2, 1) && !set.has(3, 3));
    assert.equal(set.size, 3);
  });

  it('stays exact and within 24 bytes per state while growing to 1,500,000', () => {
    const set = new FingerprintSet();
    const rnd = prng(7);
    const his: number[] = [];
    const los: number[] = [];
    for (let i = 0; i < 1_500_000; i++) {
      const hi = (rnd() * 2 ** 32) | 0;
      const lo = (rnd() * 2 ** 32) | 0;
      his.push(hi);
      los.push(lo);
      assert.equal(set.add(hi, lo, i - 1), i);
      if (i > 100_000 && i % 50_000 === 0) assert.ok(set.bytes / set.size <= 24, `${set.bytes / set.size} bytes/state at ${i}`);
    }
    for (let i = 0; i < his.length; i += 997) assert.equal(set.add(his[i]!, los[i]!, 0), -1);
    assert.equal(set.parentOf(1_234_567), 1_234_566);
  });
});
