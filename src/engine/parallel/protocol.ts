// The messages between the coordinator (checkParallel.ts, main thread) and
// the searchers (searchWorker.ts). A searcher sends back, per successor of a
// chunk it expanded, its 64-bit fingerprint, the index of the action that
// produced it and a flag, and the successors that may be new (candidates)
// already encoded (stateCodec.ts) and checked against the invariants; the
// coordinator, merging the chunk in frontier order, keeps the candidates
// found new and copies their bytes into a block of shared memory
// (chunkVerdict.ts), which becomes part of the next frontier that every
// searcher reads. Typed arrays are transferred, shared memory shared, not
// copied. docs/adr/0017-workers.md describes the protocol.
import type { ErrorCode, SourceLocation } from '../errors.ts';
import type { CodecEntries } from '../codecShapes.ts';
import type { FingerprintSet } from '../seenSet.ts';
import type { SeenDelta } from './seenReader.ts';

/** A structured-cloneable value (what a model source may carry to a worker). */
export type Cloneable = string | number | boolean | null | undefined | readonly Cloneable[] | { readonly [key: string]: Cloneable };

/**
 * Where a worker gets its model: a module (URL) whose `loadModel(data)`
 * export builds the same Model the main thread checks. No closure crosses
 * threads; each worker loads the spec itself.
 */
export interface ModelSource {
  readonly loader: string;
  readonly data: Cloneable;
}

/** A KlpError (or any error) as it crosses threads. */
export interface SerialError {
  readonly code: ErrorCode | undefined;
  readonly message: string;
  readonly hints: readonly string[];
  readonly location: SourceLocation | undefined;
}

/** Flag of a successor inside the CONSTRAINT (fingerprinted; maybe new). */
export const IN_MODEL = -2;
/**
 * Flag of a successor inside the CONSTRAINT that its searcher had met before
 * at an earlier position: a state stored in an earlier level, one it
 * generated earlier in this level in an earlier chunk (or earlier in this
 * one), or a new state of a chunk already merged. Not new; the coordinator
 * skips its seen-set look-up.
 */
export const KNOWN = -3;
/** Flag of a successor outside the CONSTRAINT that satisfies every invariant. */
export const OUT_OK = -1;
// A flag >= 0: outside the CONSTRAINT and violating that invariant (index).

/** A spec error during an expansion: before successor `ordinal` (an action threw) or while evaluating it. */
export interface ExpandError {
  readonly ordinal: number;
  readonly during: boolean;
  readonly error: SerialError;
}

/** A candidate's invariant verdict when an invariant threw on it (else -1, all hold, or the index of the first that fails). */
export const THREW = -2;

/** A cover goal or premise that threw on a state (not fatal unless it was still open there). */
export interface PredicateError {
  readonly predicate: number;
  readonly ordinal: number;
  readonly error: SerialError;
}

/**
 * A block of new states in shared memory, as the coordinator made it from one chunk's candidates:
 * Int32 count, then count Int32 byte offsets (from the block's start), then
 * the encoded states.
 */
export type StateBlock = SharedArrayBuffer;

/** A Record class id a worker's codec made, with where to find the class: successor k of action a of frontier state p. */
export interface RecordEntry {
  readonly id: number;
  readonly signature: string;
  readonly p: number;
  readonly a: number;
  readonly k: number;
}

/** The codec ids one searcher made while expanding one chunk. */
export interface TableEntries {
  readonly strings: readonly { readonly id: number; readonly text: string }[];
  readonly records: readonly RecordEntry[];
  readonly values: CodecEntries['values'];
}

/**
 * The codec ids made in one chunk of an earlier level, for a searcher that
 * joins the search late: a Record class's witness is then its parent's
 * fingerprint path from an initial state ((hi, lo) pairs), replayed by the
 * joiner, since that level's frontier is gone.
 */
export interface JoinEntries {
  readonly strings: TableEntries['strings'];
  readonly records: readonly { readonly id: number; readonly signature: string; readonly path: Int32Array; readonly a: number; readonly k: number }[];
  readonly values: TableEntries['values'];
}

export type ToWorker =
  | { readonly t: 'load'; readonly source: ModelSource; readonly slot: number; readonly stride: number; readonly run: number }
  /** Joining late, at a level's start: the codec ids made so far, the level's frontier, how many states are stored before it. */
  | { readonly t: 'join'; readonly entries: readonly JoinEntries[]; readonly blocks: readonly StateBlock[]; readonly stored: number; readonly reached: readonly number[] }
  /**
   * To the main thread's searcher only, by reference (it is never cloned): the coordinator's seen-set,
   * which that searcher reads as its filter of stored states. A worker thread reads the same set in
   * shared memory, given its buffers with the chunks to expand (`expand`'s `seen`).
   */
  | { readonly t: 'seen'; readonly seen: FingerprintSet }
  /**
   * The initial states to start from (indices into the model's); `stored`: how many states are stored before level 1;
   * `reached`: the cover goals and premises that held on an initial state (no longer scanned for).
   */
  | { readonly t: 'inits'; readonly indices: Int32Array; readonly stored: number; readonly reached: readonly number[] }
  /** A chunk to expand; for a worker thread, the seen-set's shared buffers it lacks, if any. */
  | { readonly t: 'expand'; readonly chunk: number; readonly from: number; readonly to: number; readonly seen?: SeenDelta }
  /**
   * The next level's frontier; `stored`: how many states are stored before it (the seen-set's ids below it);
   * `reached`: the cover goals and premises that have held so far (no longer scanned for).
   */
  | { readonly t: 'next'; readonly blocks: readonly StateBlock[]; readonly entries: readonly { readonly from: number; readonly table: TableEntries }[]; readonly stored: number; readonly reached: readonly number[] };

/**
 * A chunk's candidates: the successors its searcher had not met before at an
 * earlier position, encoded in order (candidate i is bytes[offsets[i]] up to
 * bytes[offsets[i + 1]]), with the ordinal of each among the chunk's
 * successors and its invariant verdict, checked at once.
 */
export interface Candidates {
  readonly bytes: Uint8Array;
  readonly offsets: Int32Array;
  readonly ordinals: Int32Array;
  /** Per candidate: -1 (every invariant holds), the index of the first that fails, or THREW. */
  readonly bad: Int32Array;
  /** The errors of the candidates marked THREW, by ordinal. */
  readonly errors: readonly { readonly ordinal: number; readonly error: SerialError }[];
  /** Cover goals and premises still open that held on a candidate: (predicate, ordinal) pairs, every such candidate. */
  readonly hits: Int32Array;
  readonly predicateErrors: readonly PredicateError[];
}

export interface Expanded {
  readonly t: 'expanded';
  /** The pool's run (load) it answers. */
  readonly run: number;
  readonly chunk: number;
  /** Successors per parent, for the parents expanded (all of the chunk unless it stopped early). */
  readonly counts: Int32Array;
  /** Number of successors reported: fps holds 2 words each (hi, lo), actions and flags one. */
  readonly size: number;
  readonly fps: Int32Array;
  readonly actions: Int32Array;
  readonly flags: Int32Array;
  /** Cover goals and premises that held on a state outside the CONSTRAINT: (predicate, ordinal) pairs. */
  readonly hits: Int32Array;
  readonly predicateErrors: readonly PredicateError[];
  readonly error: ExpandError | undefined;
  readonly candidates: Candidates;
  /** The codec ids made while encoding the candidates. */
  readonly table: TableEntries;
}

/**
 * `run` in every answer: the pool's load it belongs to. A late worker may
 * answer an earlier run's load, and a searcher may still be expanding a chunk
 * of a run that ended (a pool serves several runs); the pool drops those.
 * `failed` without a run: a searcher that had no model yet.
 */
export type FromWorker = { readonly t: 'ready'; readonly run: number } | { readonly t: 'failed'; readonly error: SerialError; readonly run?: number } | Expanded;
