// A search worker thread's read-only view of the coordinator's seen-set,
// which lives in shared memory (seenSet.ts, shared): the fingerprints stored
// so far, read without a lock while the coordinator adds to the set.
//
// Why: each worker thread kept a filter of every stored fingerprint of its
// own, as large as the seen-set (2.6 GiB at 10^8 states), and added every
// state another searcher found new to it. Reading the one set removes the
// filter, those additions and the messages that carried them.
//
// Why it is sound: the coordinator merges chunks in frontier order, so a
// state the set holds was stored at an earlier position than any chunk still
// being expanded: a hit is old (KNOWN). A miss only makes the successor a
// candidate, which the coordinator judges. A read can be stale: a slot
// written but not yet visible reads 0 (empty: a miss), a fingerprint word
// not yet visible reads 0, a table the coordinator has replaced by a larger
// one, or a chunk of ids not yet handed over, holds fewer states. So a word
// read as 0 never matches for a state stored in the current level (its
// fingerprint may be half written), and a stale read is a miss, never a
// false hit: fingerprints are written once, before the slot that points to
// them, and never move. The states stored before the current level were
// all written before the messages that started it, so they are all found,
// as the partial-order reduction's cycle proviso needs.
//
// The coordinator hands each worker thread the buffers it has not seen yet
// (new chunks, a grown table) with the next chunk to expand.
import { CHUNK_BITS, type FingerprintSet } from '../seenSet.ts';

const CHUNK_MASK = (1 << CHUNK_BITS) - 1;

/** The shared buffers of the seen-set a worker thread has not been given yet. */
export interface SeenDelta {
  /** The table, if it changed (grew) since the last delta. */
  readonly table: Int32Array | undefined;
  /** Chunks `first`, `first + 1`, ...: their high and low words. */
  readonly first: number;
  readonly hi: readonly Uint32Array[];
  readonly lo: readonly Uint32Array[];
}

export class SeenReader {
  /** States with a lower id were stored before the current level: always found. */
  settledBelow = 0;
  private table: Int32Array = new Int32Array(1);
  private mask = 0;
  private readonly hi: Uint32Array[] = [];
  private readonly lo: Uint32Array[] = [];

  apply(d: SeenDelta): void {
    if (d.table !== undefined) {
      this.table = d.table;
      this.mask = d.table.length - 1;
    }
    for (let i = 0; i < d.hi.length; i++) {
      this.hi[d.first + i] = d.hi[i]!;
      this.lo[d.first + i] = d.lo[i]!;
    }
  }

  /** The id of a stored fingerprint, or -1 (not stored, or stored in this level since this view was last given its buffers, or being stored now). */
  idOf(fpHi: number, fpLo: number): number {
    const hi = fpHi >>> 0;
    const lo = fpLo >>> 0;
    const zeroWord = hi === 0 || lo === 0;
    const table = this.table;
    const mask = this.mask;
    let slot = (fpLo ^ (fpHi >>> 7)) & mask;
    for (;;) {
      const entry = table[slot]!;
      if (entry === 0) return -1;
      const id = entry - 1;
      const c = id >>> CHUNK_BITS;
      if (c < this.hi.length) {
        const i = id & CHUNK_MASK;
        if (this.lo[c]![i] === lo && this.hi[c]![i] === hi && (!zeroWord || id < this.settledBelow)) return id;
      }
      slot = (slot + 1) & mask;
    }
  }
}

/** What the coordinator has handed one worker thread so far. */
export class SeenHandover {
  private table: Int32Array | undefined;
  private chunks = 0;

  /** The buffers of `seen` this thread lacks, or undefined if it has them all. */
  delta(seen: FingerprintSet): SeenDelta | undefined {
    const table = seen.currentTable === this.table ? undefined : seen.currentTable;
    const first = this.chunks;
    const n = seen.chunks;
    if (table === undefined && first === n) return undefined;
    const hi: Uint32Array[] = [];
    const lo: Uint32Array[] = [];
    for (let c = first; c < n; c++) {
      hi.push(seen.hiChunk(c));
      lo.push(seen.loChunk(c));
    }
    this.table = seen.currentTable;
    this.chunks = n;
    return { table, first, hi, lo };
  }
}
