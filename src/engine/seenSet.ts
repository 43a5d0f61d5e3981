// The seen-set: every distinct state's 64-bit fingerprint and its parent link,
// in typed arrays, never a JS Set of strings.
//
// Layout (bytes per distinct state, the figure the benchmark prints):
//   - per state id, in fixed-size chunks: fingerprint high and low words and the
//     parent's id: 12 bytes, with at most one partly filled chunk of slack;
//   - an open-addressing table (linear probing) of 32-bit slots holding id + 1,
//     kept between 35% and 70% full: 5.7 to 11.4 bytes per state.
// So 17.7 to 23.4 bytes per state, under the 24-byte budget. TLC keeps 8 bytes
// per state in memory and 12 more in its trace file on disk.
//
// Ids are dense and given in discovery order, so id order is BFS order and a
// trace is rebuilt by following parent ids back to an initial state.
//
// Shared (`--workers`): the table and the fingerprint chunks live in shared
// memory, so that the search worker threads read the set while the
// coordinator adds to it (src/engine/parallel/seenReader.ts). A fingerprint
// is written once, before the table slot that points to it, and never
// moves: a reader can miss a state just added, never find one that is not
// there.

/** Ids per fingerprint chunk: 2^CHUNK_BITS (seenReader.ts reads the chunks). */
export const CHUNK_BITS = 12;
const CHUNK_SIZE = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_SIZE - 1;
const MAX_LOAD = 0.7;
/** Parent id of an initial state. */
export const NO_PARENT = -1;

export class FingerprintSet {
  private table: Int32Array;
  private mask: number;
  private count = 0;
  private readonly hi: Uint32Array[] = [];
  private readonly lo: Uint32Array[] = [];
  private readonly parents: Int32Array[] = [];
  private readonly shared: boolean;

  constructor(initialCapacity = 1 << 16, shared = false) {
    let cap = 1024;
    while (cap < initialCapacity) cap <<= 1;
    this.shared = shared;
    this.table = new Int32Array(this.words(cap));
    this.mask = cap - 1;
  }

  /** Memory for `n` 32-bit words: shared memory when other threads read the set. */
  private words(n: number): ArrayBuffer | SharedArrayBuffer {
    return this.shared ? new SharedArrayBuffer(4 * n) : new ArrayBuffer(4 * n);
  }

  /** The table as it is now (a shared set's readers probe it; the set replaces it when it grows). */
  get currentTable(): Int32Array {
    return this.table;
  }

  /** Number of fingerprint chunks (4,096 ids each); chunk c's high and low words. */
  get chunks(): number {
    return this.hi.length;
  }

  hiChunk(c: number): Uint32Array {
    return this.hi[c]!;
  }

  loChunk(c: number): Uint32Array {
    return this.lo[c]!;
  }

  get size(): number {
    return this.count;
  }

  /**
   * Adds a fingerprint unless present. Returns the new state's id, or -1 when
   * the fingerprint was already seen.
   */
  add(fpHi: number, fpLo: number, parent: number): number {
    const table = this.table;
    const mask = this.mask;
    let slot = (fpLo ^ (fpHi >>> 7)) & mask;
    for (;;) {
      const entry = table[slot]!;
      if (entry === 0) break;
      const id = entry - 1;
      const c = id >>> CHUNK_BITS;
      const i = id & CHUNK_MASK;
      if (this.lo[c]![i] === fpLo >>> 0 && this.hi[c]![i] === fpHi >>> 0) return -1;
      slot = (slot + 1) & mask;
    }
    const id = this.count++;
    const c = id >>> CHUNK_BITS;
    if (c === this.hi.length) {
      this.hi.push(new Uint32Array(this.words(CHUNK_SIZE)));
      this.lo.push(new Uint32Array(this.words(CHUNK_SIZE)));
      this.parents.push(new Int32Array(CHUNK_SIZE));
    }
    const i = id & CHUNK_MASK;
    this.hi[c]![i] = fpHi;
    this.lo[c]![i] = fpLo;
    this.parents[c]![i] = parent;
    table[slot] = id + 1;
    if (this.count > this.table.length * MAX_LOAD) this.grow();
    return id;
  }

  /** True when the fingerprint is present (used by trace replay). */
  has(fpHi: number, fpLo: number): boolean {
    return this.idOf(fpHi, fpLo) >= 0;
  }

  /** The id of a stored fingerprint, or -1 (used by the liveness graph to record edges). */
  idOf(fpHi: number, fpLo: number): number {
    let slot = (fpLo ^ (fpHi >>> 7)) & this.mask;
    for (;;) {
      const entry = this.table[slot]!;
      if (entry === 0) return -1;
      const id = entry - 1;
      if (this.loOf(id) === fpLo >>> 0 && this.hiOf(id) === fpHi >>> 0) return id;
      slot = (slot + 1) & this.mask;
    }
  }

  parentOf(id: number): number {
    return this.parents[id >>> CHUNK_BITS]![id & CHUNK_MASK]!;
  }

  hiOf(id: number): number {
    return this.hi[id >>> CHUNK_BITS]![id & CHUNK_MASK]!;
  }

  loOf(id: number): number {
    return this.lo[id >>> CHUNK_BITS]![id & CHUNK_MASK]!;
  }

  /** Bytes held by the table and the per-state arrays. */
  get bytes(): number {
    return this.table.byteLength + this.hi.length * CHUNK_SIZE * 12;
  }

  /**
   * The smallest distance between two stored fingerprints, as TLC's
   * checkFPs computes it for the "based on the actual fingerprints" estimate.
   */
  minimumDistance(): bigint {
    const all = new BigUint64Array(this.count);
    for (let id = 0; id < this.count; id++) all[id] = (BigInt(this.hiOf(id)) << 32n) | BigInt(this.loOf(id));
    all.sort();
    let min = 0xffffffffffffffffn;
    for (let i = 1; i < all.length; i++) {
      const d = all[i]! - all[i - 1]!;
      if (d < min) min = d;
    }
    return min;
  }

  private grow(): void {
    const cap = this.table.length * 2;
    const table = new Int32Array(this.words(cap));
    const mask = cap - 1;
    for (let id = 0; id < this.count; id++) {
      let slot = (this.loOf(id) ^ (this.hiOf(id) >>> 7)) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = id + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}
