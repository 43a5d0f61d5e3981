// Another searcher's codec ids, adopted by this searcher's codec (ADR 0017,
// "One id space for the codecs"): strings as text, shared records as bytes,
// and Record classes, which cannot cross threads: each is found, by its
// signature, in this thread's own copy of the state the other searcher was
// encoding when it made the id (its witness, successor k of action a of a
// parent this thread rebuilds: a frontier state, or for a searcher that joins
// late a stored state replayed from its fingerprint path).
import { fpHi, fpLo } from '../fingerprint.ts';
import type { Model } from '../spec.ts';
import type { StateCodec } from '../stateCodec.ts';
import { successorsOf } from '../successors.ts';
import { fingerprintState, replayPath } from '../traceRebuild.ts';
import type { TableEntries } from './protocol.ts';
import { recordClassesIn, type RecordClass } from './recordClasses.ts';

/**
 * Adopts `e`'s ids into `codec`. The replayed parent of a late joiner is the
 * state the search stored (replay takes, as the search did, the first
 * successor with the fingerprint); should a class still be missing there (a
 * spec's symmetry that renames more than it says), any successor of the
 * parent that holds one of that signature does.
 */
export function adoptIds<R extends { readonly id: number; readonly signature: string; readonly a: number; readonly k: number }>(
  model: Model<unknown>,
  codec: StateCodec,
  e: { readonly strings: TableEntries['strings']; readonly records: readonly R[]; readonly values: TableEntries['values'] },
  parentOf: (r: R) => unknown,
): void {
  codec.adoptStrings(e.strings);
  for (const r of e.records) {
    if (codec.knowsRecord(r.id)) continue;
    const parent = parentOf(r);
    const witness = successorsOf(model.actions[r.a]!.next(parent))[r.k];
    let found: RecordClass | undefined = witness === undefined ? undefined : recordClassesIn(witness, new Map()).get(r.signature);
    for (const action of model.actions) {
      if (found !== undefined) break;
      for (const t of successorsOf(action.next(parent))) if ((found ??= recordClassesIn(t, new Map()).get(r.signature)) !== undefined) break;
    }
    if (found === undefined) throw new Error(`internal: no Record class ${JSON.stringify(r.signature)} in the state another worker encoded it from`);
    codec.adoptRecord(r.id, found.ctor, found.keys);
  }
  codec.adoptValues(e.values);
}

/** The state at the end of a fingerprint path ((hi, lo) pairs) from an initial state, replayed as a trace is rebuilt. */
export function replayFingerprints(model: Model<unknown>, path: Int32Array): unknown {
  const states = replayPath(model, path.length / 2, (s, k) => {
    fingerprintState(model, s);
    return fpHi === path[2 * k] && fpLo === path[2 * k + 1];
  });
  return states[states.length - 1]!.state;
}
