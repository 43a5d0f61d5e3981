// The BFS frontier: a FIFO of (state, id) that holds a small frontier as live
// objects and a large one packed, spilling packed segments to disk above a
// memory budget (docs/adr/0019-packed-frontier.md).
//
// - Live: while the queue has never held more than `liveStates` states, states
//   stay Immutable.js objects in arrays: no encoding cost for small runs.
// - Packed: from the moment it first does, every pushed state is encoded by a
//   StateCodec into big Uint8Array segments (off the JS heap): the id as a
//   varint delta from the previous one (ids are pushed in increasing order),
//   then the state's bytes. Live blocks already queued are read first.
// - Spilled: when the packed segments in memory exceed `memoryBytes`, each
//   newly filled segment is written to a file in a private temporary folder
//   and read back (then deleted) when the reader reaches it. The folder is
//   removed when the queue is disposed, and at process exit.
//
// The order of `shift` is exactly the order of `push`, whatever the mode, so
// the search is unchanged.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KlpError } from './errors.ts';
import { StateCodec } from './stateCodec.ts';

export interface FrontierOptions {
  /** Pack once the queue holds more than this many states (0: always pack). */
  readonly liveStates?: number;
  /** Packed bytes kept in memory; beyond, segments are written to disk. */
  readonly memoryBytes?: number;
  /** Folder in which the spill folder is made (default: the OS temp folder). */
  readonly dir?: string;
  /** Size of one packed segment. */
  readonly segmentBytes?: number;
}

/** Defaults: some 30 MiB of live states at most (about 3 KB each), 4 GiB packed in memory. */
export const FRONTIER_DEFAULTS = { liveStates: 10_000, memoryBytes: 4 * 2 ** 30, segmentBytes: 4 * 2 ** 20 } as const;

/** What the frontier cost, for the figures. */
export interface FrontierStats {
  /** States queued at most at one time. */
  readonly peakStates: number;
  /** States that were packed, and the bytes they took (ids included). */
  readonly packedStates: number;
  readonly packedBytes: number;
  /** Largest packed size of the queue at one time (memory plus disk). */
  readonly peakPackedBytes: number;
  /** Bytes written to disk in all. */
  readonly spilledBytes: number;
  /** Records in the codec's table of shared flat records (ADR 0020). */
  readonly sharedRecords: number;
}

interface LiveBlock<S> {
  readonly live: true;
  readonly states: S[];
  readonly ids: number[];
  head: number;
}

interface PackedBlock {
  readonly live: false;
  /** The bytes, or undefined while they are on disk in `file`. */
  bytes: Uint8Array | undefined;
  file: string | undefined;
  /** Bytes written; read position; states left to read; id of the last state written and read. */
  used: number;
  at: number;
  count: number;
  lastWritten: number;
  lastRead: number;
}

type Block<S> = LiveBlock<S> | PackedBlock;

const openFolders = new Set<string>();
let exitHooked = false;

/** At exit (normal, process.exit, or after a signal handler ends the process), no spill folder stays. */
function removeAtExit(folder: string): void {
  openFolders.add(folder);
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    for (const f of openFolders) rmSync(f, { recursive: true, force: true });
  });
}

/**
 * Fails now (KLP330), not hours into a run, when `dir` cannot take a spill
 * folder: makes one and removes it.
 */
export function checkFrontierFolder(dir: string): void {
  let probe: string;
  try {
    probe = mkdtempSync(join(dir, 'klpcheck-frontier-'));
  } catch (e) {
    throw new KlpError('KLP330', `cannot make a frontier folder in ${dir}: ${reason(e)}`, { cause: e });
  }
  rmSync(probe, { recursive: true, force: true });
}

const REASONS: { readonly [code: string]: string } = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'no such folder',
  ENOTDIR: 'not a folder',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
  EDQUOT: 'disk quota exceeded',
};

function reason(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') return REASONS[code] ?? code;
  return e instanceof Error ? e.message : String(e);
}

export class Frontier<S> {
  private readonly blocks: Block<S>[] = [];
  private readonly codec = new StateCodec();
  private readonly liveStates: number;
  private readonly memoryBytes: number;
  private readonly segmentBytes: number;
  private readonly parent: string | undefined;
  private folder: string | undefined;
  private files = 0;
  private packing: boolean;
  private count = 0;
  private inMemory = 0;
  private packedNow = 0;
  /** Id of the state the last `shift` returned. */
  shiftedId = -1;
  private stats = { peakStates: 0, packedStates: 0, packedBytes: 0, peakPackedBytes: 0, spilledBytes: 0 };

  constructor(options: FrontierOptions = {}) {
    this.liveStates = options.liveStates ?? FRONTIER_DEFAULTS.liveStates;
    this.memoryBytes = options.memoryBytes ?? FRONTIER_DEFAULTS.memoryBytes;
    this.segmentBytes = options.segmentBytes ?? FRONTIER_DEFAULTS.segmentBytes;
    this.parent = options.dir;
    this.packing = this.liveStates === 0;
  }

  get length(): number {
    return this.count;
  }

  get figures(): FrontierStats {
    return { ...this.stats, sharedRecords: this.codec.sharedRecords };
  }

  push(state: S, id: number): void {
    if (!this.packing && this.count >= this.liveStates) this.packing = true;
    this.count++;
    if (this.count > this.stats.peakStates) this.stats.peakStates = this.count;
    if (!this.packing) {
      let tail = this.blocks[this.blocks.length - 1];
      if (tail === undefined || !tail.live) {
        tail = { live: true, states: [], ids: [], head: 0 };
        this.blocks.push(tail);
      }
      tail.states.push(state);
      tail.ids.push(id);
      return;
    }
    const bytes = this.codec.encode(state);
    let tail = this.blocks[this.blocks.length - 1];
    const need = bytes.length + 10;
    if (tail === undefined || tail.live || tail.bytes === undefined || tail.used + need > tail.bytes.length) {
      if (tail !== undefined && !tail.live) this.sealed(tail);
      const size = Math.max(this.segmentBytes, need);
      tail = { live: false, bytes: new Uint8Array(size), file: undefined, used: 0, at: 0, count: 0, lastWritten: -1, lastRead: -1 };
      this.inMemory += size;
      this.blocks.push(tail);
    }
    const seg = tail.bytes!;
    const start = tail.used;
    let p = start;
    // Id delta from the previous state of this segment (ids only grow).
    let d = id - tail.lastWritten;
    while (d >= 0x80) {
      seg[p++] = (d & 0x7f) | 0x80;
      d = Math.floor(d / 128);
    }
    seg[p++] = d;
    seg.set(bytes, p);
    p += bytes.length;
    tail.used = p;
    tail.count++;
    tail.lastWritten = id;
    this.stats.packedStates++;
    this.stats.packedBytes += p - start;
    this.packedNow += p - start;
    if (this.packedNow > this.stats.peakPackedBytes) this.stats.peakPackedBytes = this.packedNow;
  }

  /** The next state in FIFO order (its id in `shiftedId`); the queue must not be empty. */
  shift(): S {
    let block = this.blocks[0]!;
    for (;;) {
      if (block.live ? block.head < block.states.length : block.count > 0) break;
      this.dropHead();
      block = this.blocks[0]!;
    }
    this.count--;
    if (block.live) {
      const i = block.head++;
      this.shiftedId = block.ids[i]!;
      const s = block.states[i]!;
      // Let the state be collected once taken.
      (block.states as (S | undefined)[])[i] = undefined;
      return s;
    }
    if (block.bytes === undefined) this.load(block);
    const seg = block.bytes!;
    let p = block.at;
    let d = 0;
    let scale = 1;
    for (;;) {
      const b = seg[p++]!;
      d += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 128;
    }
    const state = this.codec.decode(seg, p) as S;
    this.packedNow -= this.codec.end - block.at;
    block.at = this.codec.end;
    block.count--;
    block.lastRead += d;
    this.shiftedId = block.lastRead;
    return state;
  }

  /** Frees every segment and removes the spill folder; the queue is empty afterwards. */
  dispose(): void {
    this.blocks.length = 0;
    this.count = 0;
    this.inMemory = 0;
    this.packedNow = 0;
    if (this.folder !== undefined) {
      rmSync(this.folder, { recursive: true, force: true });
      openFolders.delete(this.folder);
      this.folder = undefined;
    }
  }

  private dropHead(): void {
    const head = this.blocks.shift()!;
    if (!head.live && head.bytes !== undefined) this.inMemory -= head.bytes.length;
  }

  /** A full segment: keep it in memory, or write it out when over budget (never the one being read). */
  private sealed(block: PackedBlock): void {
    if (this.inMemory <= this.memoryBytes || block === this.blocks[0]) return;
    const bytes = block.bytes!;
    const file = join(this.spillFolder(), `segment-${this.files++}.bin`);
    try {
      const fd = openSync(file, 'w');
      try {
        let off = 0;
        while (off < block.used) off += writeSync(fd, bytes, off, block.used - off);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      this.dispose();
      throw new KlpError('KLP330', `cannot write the frontier to ${file}: ${reason(e)}`, { cause: e });
    }
    this.stats.spilledBytes += block.used;
    this.inMemory -= bytes.length;
    block.bytes = undefined;
    block.file = file;
  }

  private load(block: PackedBlock): void {
    const file = block.file!;
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
      unlinkSync(file);
    } catch (e) {
      this.dispose();
      throw new KlpError('KLP330', `cannot read the frontier back from ${file}: ${reason(e)}`, { cause: e });
    }
    block.bytes = bytes;
    block.file = undefined;
    this.inMemory += bytes.length;
  }

  private spillFolder(): string {
    if (this.folder !== undefined) return this.folder;
    const parent = this.parent ?? tmpdir();
    try {
      this.folder = mkdtempSync(join(parent, 'klpcheck-frontier-'));
    } catch (e) {
      throw new KlpError('KLP330', `cannot make a frontier folder in ${parent}: ${reason(e)}`, { cause: e });
    }
    removeAtExit(this.folder);
    return this.folder;
  }
}
