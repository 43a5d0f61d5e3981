// One BFS level of a parallel search, on the coordinator. Workers expand
// chunks of the level's frontier in any order; `merge` takes the chunks in
// frontier order, so the seen-set sees the successors exactly in the order of
// the one-thread search (bfs.ts): same ids, same parent links, same new/old
// decisions. It notes the first event that would have ended that search
// (a state outside the CONSTRAINT violating an invariant, a deadlock, the
// --max-states bound, a spec error). Invariants on new states come later
// (workers check them once told which states are new), so the level's
// outcome is decided in `settle` (checkParallel.ts) by comparing positions:
// a Key orders every event of the level as the one-thread search meets it.
import type { FingerprintSet } from '../seenSet.ts';
import { IN_MODEL, KNOWN, type Expanded, type SerialError } from './protocol.ts';
import { Int32Buffer } from '../int32Buffer.ts';

/**
 * A position in the level: parent index `p`, and `s` = 2o+1 while handling
 * successor o (level ordinal), 2o just before it, Infinity at the end of the parent.
 */
export interface Key {
  readonly p: number;
  readonly s: number;
}

export const isBefore = (a: Key, b: Key): boolean => a.p < b.p || (a.p === b.p && a.s < b.s);

export type MergeStop =
  | { readonly kind: 'out-invariant'; readonly key: Key; readonly invariant: number; readonly parentId: number; readonly action: number; readonly k: number }
  | { readonly kind: 'deadlock'; readonly key: Key; readonly parentId: number }
  | { readonly kind: 'max-states'; readonly key: Key }
  | { readonly kind: 'error'; readonly key: Key; readonly error: SerialError }
  | { readonly kind: 'bound'; readonly key: Key };

/** A merged chunk: what the tally walks again to count up to any position. */
export interface MergedChunk {
  readonly from: number;
  /** Level ordinal of its first successor. */
  readonly base: number;
  readonly counts: Int32Array;
  readonly actions: Int32Array;
  readonly isNew: Uint8Array;
}

export interface Tally {
  generated: number;
  fresh: number;
  parentsStarted: number;
  coverageGenerated: Float64Array;
  coverageDistinct: Float64Array;
}

export class LevelMerge {
  readonly chunks: MergedChunk[] = [];
  stop: MergeStop | undefined;
  /** Successors merged so far in this level. */
  ordinal = 0;
  readonly nextIds = new Int32Buffer();
  /** Ids of the frontier, in order. */
  private readonly ids: Int32Array;
  private readonly seen: FingerprintSet;
  private readonly chunkSize: number;
  private readonly checkDeadlock: boolean;
  private readonly maxStates: number;

  constructor(ids: Int32Array, seen: FingerprintSet, chunkSize: number, checkDeadlock: boolean, maxStates: number) {
    this.ids = ids;
    this.seen = seen;
    this.chunkSize = chunkSize;
    this.checkDeadlock = checkDeadlock;
    this.maxStates = maxStates;
  }

  /** The parent index of the last parent merged, -1 before any. */
  get lastParent(): number {
    const c = this.chunks[this.chunks.length - 1];
    return c === undefined ? -1 : c.from + c.counts.length - 1;
  }

  /** Merges the next chunk (in frontier order); returns which of its successors are new. */
  merge(chunk: number, msg: Expanded): Uint8Array {
    const from = chunk * this.chunkSize;
    const base = this.ordinal;
    const { counts, fps, actions, flags } = msg;
    const isNew = new Uint8Array(msg.size);
    this.chunks.push({ from, base, counts, actions, isNew });
    const n = this.ids.length;
    let o = 0;
    for (let j = 0; j < counts.length; j++) {
      const p = from + j;
      const sid = this.ids[p]!;
      const m = counts[j]!;
      let lastA = -1;
      let k = 0;
      for (let i = 0; i < m; i++, o++) {
        const a = actions[o]!;
        k = a === lastA ? k + 1 : 0;
        lastA = a;
        const f = flags[o]!;
        if (f === KNOWN) continue;
        if (f !== IN_MODEL) {
          if (f >= 0) {
            this.ordinal = base + o + 1;
            this.stop = { kind: 'out-invariant', key: { p, s: 2 * (base + o) + 1 }, invariant: f, parentId: sid, action: a, k };
            return isNew;
          }
          continue;
        }
        const id = this.seen.add(fps[2 * o]!, fps[2 * o + 1]!, sid);
        if (id < 0) continue;
        isNew[o] = 1;
        this.nextIds.push(id);
      }
      this.ordinal = base + o;
      if (msg.error !== undefined && j === counts.length - 1) {
        const e = msg.error;
        this.stop = { kind: 'error', key: { p, s: 2 * (base + e.ordinal) + (e.during ? 1 : 0) }, error: e.error };
        return isNew;
      }
      if (m === 0 && this.checkDeadlock) {
        this.stop = { kind: 'deadlock', key: { p, s: Infinity }, parentId: sid };
        return isNew;
      }
      if (this.seen.size >= this.maxStates && (p + 1 < n || this.nextIds.length > 0)) {
        this.stop = { kind: 'max-states', key: { p, s: Infinity } };
        return isNew;
      }
    }
    return isNew;
  }

  /** The key of a chunk's local successor ordinal. */
  keyOf(chunkIndexInMerge: number, local: number): Key {
    const c = this.chunks[chunkIndexInMerge]!;
    let o = 0;
    for (let j = 0; j < c.counts.length; j++) {
      o += c.counts[j]!;
      if (local < o) return { p: c.from + j, s: 2 * (c.base + local) + 1 };
    }
    return { p: c.from + c.counts.length - 1, s: 2 * (c.base + local) + 1 };
  }

  /** Counts of the level up to `stop` (inclusive; everything when undefined), walking the merged chunks again. */
  tally(stop: Key | undefined, nameIndex: readonly number[], actionNames: number): Tally {
    const t: Tally = { generated: 0, fresh: 0, parentsStarted: stop === undefined ? this.ids.length : stop.p + 1, coverageGenerated: new Float64Array(actionNames), coverageDistinct: new Float64Array(actionNames) };
    for (const c of this.chunks) {
      let o = 0;
      for (let j = 0; j < c.counts.length; j++) {
        const p = c.from + j;
        if (stop !== undefined && p > stop.p) return t;
        for (let i = 0; i < c.counts[j]!; i++, o++) {
          if (stop !== undefined && p === stop.p && 2 * (c.base + o) + 1 > stop.s) return t;
          const ni = nameIndex[c.actions[o]!]!;
          t.generated++;
          t.coverageGenerated[ni]!++;
          if (c.isNew[o] === 1) {
            t.fresh++;
            t.coverageDistinct[ni]!++;
          }
        }
      }
    }
    return t;
  }
}
