// A worker's view of the current BFS level: the initial states it computed
// itself (level 1), or the blocks of encoded states in shared memory that the
// coordinator wrote from the chunks' candidates (protocol.ts StateBlock,
// chunkVerdict.ts), in global order. Any
// worker decodes any state, so any worker can take any chunk; the frontier
// lives once, off every JS heap. `BlockWriter` collects encoded states: a
// chunk's candidates (sent as they are) or a block of new states.
import type { StateCodec } from '../stateCodec.ts';
import type { StateBlock } from './protocol.ts';

interface Block {
  readonly bytes: Uint8Array;
  readonly offsets: Int32Array;
}

export class SharedFrontier {
  private objects: readonly unknown[] | undefined;
  private blocks: Block[] = [];
  /** Global index of each block's first state. */
  private starts: number[] = [];
  /** The block of the last state read (chunks are read in order). */
  private last = 0;
  private readonly codec: StateCodec;

  constructor(codec: StateCodec, objects: readonly unknown[] = []) {
    this.codec = codec;
    this.objects = objects;
  }

  /** The level's states as objects (the initial states). */
  setObjects(objects: readonly unknown[]): void {
    this.objects = objects;
    this.blocks = [];
    this.starts = [];
  }

  /** The level's states as blocks, in global order. */
  setBlocks(blocks: readonly StateBlock[]): void {
    this.objects = undefined;
    this.blocks = [];
    this.starts = [];
    this.last = 0;
    let at = 0;
    for (const sab of blocks) {
      const count = new Int32Array(sab, 0, 1)[0]!;
      if (count === 0) continue;
      this.blocks.push({ bytes: new Uint8Array(sab), offsets: new Int32Array(sab, 4, count) });
      this.starts.push(at);
      at += count;
    }
  }

  /** State `i` of the level (decoded anew from its block: a fresh value each call). */
  at(i: number): unknown {
    if (this.objects !== undefined) return this.objects[i];
    let b = this.last;
    const starts = this.starts;
    if (!(b < starts.length && starts[b]! <= i && (b + 1 === starts.length || i < starts[b + 1]!))) b = this.last = this.blockOf(i);
    const block = this.blocks[b]!;
    return this.codec.decode(block.bytes, block.offsets[i - starts[b]!]!);
  }

  private blockOf(i: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** Collects encoded states: a chunk's candidates (`take`), or its new states, copied into one StateBlock (`done`). */
export class BlockWriter {
  private bytes = new Uint8Array(1 << 14);
  private size = 0;
  private readonly offsets: number[] = [];

  get count(): number {
    return this.offsets.length;
  }

  /** Appends the codec's bytes of a state (copied: they are valid until its next call). */
  push(encoded: Uint8Array): void {
    this.pushFrom(encoded, 0, encoded.length);
  }

  /** Appends the state in `bytes` from `start` to `end` (copied). */
  pushFrom(bytes: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (this.size + length > this.bytes.length) {
      let n = this.bytes.length * 2;
      while (n < this.size + length) n *= 2;
      const bigger = new Uint8Array(n);
      bigger.set(this.bytes.subarray(0, this.size));
      this.bytes = bigger;
    }
    this.offsets.push(this.size);
    this.bytes.set(bytes.subarray(start, end), this.size);
    this.size += length;
  }

  /** The states as they are, to send: state i is bytes[offsets[i]] up to bytes[offsets[i + 1]]. The writer is spent. */
  take(): { bytes: Uint8Array; offsets: Int32Array } {
    const offsets = new Int32Array(this.offsets.length + 1);
    offsets.set(this.offsets);
    offsets[this.offsets.length] = this.size;
    return { bytes: this.bytes, offsets };
  }

  /** The block; undefined when no state was pushed. */
  done(): StateBlock | undefined {
    const n = this.offsets.length;
    if (n === 0) return undefined;
    const head = 4 + 4 * n;
    const sab = new SharedArrayBuffer(head + this.size);
    const ints = new Int32Array(sab, 0, 1 + n);
    ints[0] = n;
    for (let i = 0; i < n; i++) ints[1 + i] = head + this.offsets[i]!;
    new Uint8Array(sab, head).set(this.bytes.subarray(0, this.size));
    return sab;
  }
}
