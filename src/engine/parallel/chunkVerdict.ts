// The coordinator's verdict on one merged chunk (checkParallel.ts): given
// which of its successors the seen-set found new (levelMerge.ts), it keeps
// the candidates among them, in order, as the one-thread search stores them.
// Their bytes go into a block of shared memory, part of the next frontier;
// the first one that violates an invariant (or on which an invariant threw)
// ends the chunk there, as it ends the one-thread search; of the cover
// goals and premises scanned on the candidates, only the hits and errors on
// the new states kept count. No state is decoded here: the searcher that
// expanded the chunk encoded, checked and scanned every candidate.
import type { Expanded, PredicateError, SerialError, StateBlock, TableEntries } from './protocol.ts';
import { THREW } from './protocol.ts';
import { BlockWriter } from './sharedFrontier.ts';

export interface ChunkVerdict {
  readonly chunk: number;
  /** The first new state violating an invariant: its ordinal and the invariant's index. */
  readonly failure: { readonly ordinal: number; readonly invariant: number } | undefined;
  /** The first new state on which an invariant threw. */
  readonly error: { readonly ordinal: number; readonly error: SerialError } | undefined;
  /** Cover goals and premises that held on a new state, up to the failure: (predicate, ordinal) pairs. */
  readonly hits: Int32Array;
  readonly predicateErrors: readonly PredicateError[];
  /** The chunk's new states, encoded in order (none when a failure or error ended it early, or none was new). */
  readonly block: StateBlock | undefined;
  /** The codec ids its searcher made. */
  readonly table: TableEntries;
}

/** The verdict on chunk `e` once merged: `isNew[o]` is 1 for each successor (ordinal o) stored as new. */
export function chunkVerdict(e: Expanded, isNew: Uint8Array): ChunkVerdict {
  const { bytes, offsets, ordinals, bad, errors } = e.candidates;
  const block = new BlockWriter();
  let failure: ChunkVerdict['failure'];
  let error: ChunkVerdict['error'];
  for (let i = 0; i < ordinals.length; i++) {
    const o = ordinals[i]!;
    if (isNew[o] !== 1) continue;
    const verdict = bad[i]!;
    if (verdict === THREW) {
      error = { ordinal: o, error: errors.find((x) => x.ordinal === o)!.error };
      break;
    }
    if (verdict >= 0) {
      failure = { ordinal: o, invariant: verdict };
      break;
    }
    block.pushFrom(bytes, offsets[i]!, offsets[i + 1]!);
  }
  // Nothing after the state that ends the chunk is looked at (the one-thread search stops there).
  const last = failure?.ordinal ?? error?.ordinal ?? Infinity;
  const scanned = e.candidates.hits;
  const hits: number[] = [];
  for (let h = 0; h < scanned.length; h += 2) {
    const o = scanned[h + 1]!;
    if (o <= last && isNew[o] === 1) hits.push(scanned[h]!, o);
  }
  const predicateErrors = e.candidates.predicateErrors.filter((x) => x.ordinal <= last && isNew[x.ordinal] === 1);
  const ended = failure !== undefined || error !== undefined;
  return { chunk: e.chunk, failure, error, hits: Int32Array.from(hits), predicateErrors, block: ended ? undefined : block.done(), table: e.table };
}
