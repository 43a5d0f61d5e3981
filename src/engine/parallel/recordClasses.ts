// The Record classes a value holds, by signature (recordSignature: name and
// keys). A worker that must read bytes naming a Record class another worker
// met first finds its own class of that signature in a state it computes
// itself: the successor the other worker was encoding when it made the id
// (the "witness", recomputed from its parent: actions are pure, as trace
// replay assumes). Rare (once per class and worker), so the public API.
import { List, Map as IMap, Record, Set as ISet } from 'immutable';
import type { RecordFactory } from '../codecShapes.ts';
import { recordSignature } from '../stateCodec.ts';

export interface RecordClass {
  readonly ctor: RecordFactory;
  readonly keys: readonly string[];
}

/** Adds every Record class inside `v` to `out`, keyed by signature. */
export function recordClassesIn(v: unknown, out: Map<string, RecordClass>): Map<string, RecordClass> {
  if (typeof v !== 'object' || v === null) return out;
  if (Record.isRecord(v)) {
    const ctor = v.constructor as RecordFactory;
    const signature = recordSignature(ctor);
    if (!out.has(signature)) out.set(signature, { ctor, keys: [...v.toSeq().keys()].map(String) });
    v.toSeq().forEach((x) => void recordClassesIn(x, out));
  } else if (List.isList(v) || ISet.isSet(v)) {
    (v as List<unknown>).forEach((x) => void recordClassesIn(x, out));
  } else if (IMap.isMap(v)) {
    (v as IMap<unknown, unknown>).forEach((x, k) => {
      recordClassesIn(k, out);
      recordClassesIn(x, out);
    });
  }
  return out;
}
