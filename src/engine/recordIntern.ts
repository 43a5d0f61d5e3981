// The pool of interned flat records: records built from a plain object whose
// fields all hold primitives or model values come out as one shared object
// per value (hash-consing), and the layout every shared record has.
//
// Why: a spec builds a fresh record for every membership test and every
// message it sends (`msgs.has(Phase2b({ acc, ins, bal, val }))`, dozens per
// PaxosCommit state). A fresh record has no memo, so each test hashed its
// fields again (Immutable's hashCode for the Set's probe, the fingerprint for
// a Set's sums) and compared it field by field with the stored one. The
// shared record carries its hashes from the first time, and compares by
// `===` with itself wherever a state holds it: the state codec's table of
// shared records (valueTable.ts) keeps the interned record itself, so the
// states read back from the frontier hold the very objects the actions build.
//
// Sharing is exact for values whose equality is identity: strings, numbers
// other than -0, booleans, null, undefined (a field equal to its default, as
// Immutable stores it) and model values (interned by name, modelValue.ts).
// Immutable compares records by value, so which object a spec gets back
// changes no count, order or trace; only `===` between two equal records
// built apart now holds, as TLA+'s value semantics would have it. A record
// holding a collection or another record is not interned. asMutable and
// withMutations copy a record before changing it, so a shared one is never
// changed in place.
//
// The pool is kept per record type (in the type's compiled build, so it
// goes when the type does) and bounded per type: a type stops adding records
// at MAX_RECORDS, and early, after TRIAL records, when fewer than
// MIN_USES_PER_RECORD builds per record found one (a type whose records are
// mostly distinct, such as messages that carry a counter, would pay a map
// entry per build for nothing). Records already in it are still found. One
// type that stops leaves the others, and the next spec's types, as they are.
//
// This file imports nothing that imports 'immutable' (recordFactory.ts loads
// before Immutable's ES module namespace is made).

const MAX_RECORDS = 1 << 16;
const TRIAL = 4096;
const MIN_USES_PER_RECORD = 4;

const MODEL_VALUE_BRAND = Symbol.for('klpcheck.modelValue');

/** One record type's part of the pool: how many records it holds, how often a build found one, whether it still takes more. */
export interface InternCounts {
  records: number;
  found: number;
  growing: boolean;
}

export function internCounts(): InternCounts {
  return { records: 0, found: 0, growing: true };
}

/** A record's own properties, in the one order every shared record has (Immutable's makeRecord order, then the memos). */
interface SharedRecord {
  __ownerID: undefined;
  _values: unknown;
  __klpH: number | undefined;
  __klpL: number | undefined;
  __klpIH: number | undefined;
  __klpEA: number | undefined;
  __klpEB: number | undefined;
}

const shared = new WeakSet<object>();

/**
 * A record of prototype `proto` holding `values`, laid out with every memo slot (fingerprint.ts's
 * __klpH/__klpL/__klpEA/__klpEB, recordFast.ts's __klpIH) from the start, in one order: shared
 * records are read by every state that holds them, and one layout keeps the spec's field reads on
 * them monomorphic (valueTable.ts makes its copies with it too).
 */
export function settledRecord(proto: object, values: unknown): SharedRecord {
  const r = Object.create(proto) as SharedRecord;
  r.__ownerID = undefined;
  r._values = values;
  r.__klpH = undefined;
  r.__klpL = undefined;
  r.__klpIH = undefined;
  r.__klpEA = undefined;
  r.__klpEB = undefined;
  return r;
}

/** Whether `r` is a record the pool handed out (valueTable.ts keeps it itself rather than a copy). */
export function isInterned(r: object): boolean {
  return shared.has(r);
}

/** A field value the pool may key on: equal values are the same value. */
export function internable(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return true;
    case 'number':
      return v !== 0 || 1 / v > 0;
    case 'object':
      return v === null || (v as { [MODEL_VALUE_BRAND]?: unknown })[MODEL_VALUE_BRAND] === true;
    default:
      return false;
  }
}

/** Whether the type's part of the pool takes one more record now (false once it has stopped growing). */
function admit(c: InternCounts): boolean {
  if (!c.growing) return false;
  const n = c.records;
  if (n >= MAX_RECORDS || (n >= TRIAL && c.found < MIN_USES_PER_RECORD * n)) {
    c.growing = false;
    return false;
  }
  c.records = n + 1;
  return true;
}

/** One record type's part of the pool: nested Maps keyed by the stored field values, in field order. */
export interface InternTrie {
  readonly root: Map<unknown, unknown>;
  readonly counts: InternCounts;
}

/**
 * The shared record of `proto` whose stored field values are `slots` (undefined for a default), or
 * undefined if the pool neither holds nor takes it; `values` makes its value List when it is new.
 * Every slot must be internable. The per-type build compiled in recordFactory.ts inlines this walk;
 * this is the same walk for the build used where code generation from strings is refused.
 */
export function internedRecord(trie: InternTrie, proto: object, slots: readonly unknown[], values: (xs: unknown[]) => unknown): object | undefined {
  let m = trie.root;
  const last = slots.length - 1;
  for (let i = 0; i < last; i++) {
    let next = m.get(slots[i]) as Map<unknown, unknown> | undefined;
    if (next === undefined) {
      if (!trie.counts.growing) return undefined;
      next = new Map();
      m.set(slots[i], next);
    }
    m = next;
  }
  const found = m.get(slots[last]) as object | undefined;
  if (found !== undefined) {
    trie.counts.found++;
    return found;
  }
  return admitted(trie.counts, m, slots[last], proto, values([...slots]));
}

/** A new shared record stored at `key` of the trie's last Map `m`, or undefined if the type's part of the pool takes no more. */
export function admitted(c: InternCounts, m: Map<unknown, unknown>, key: unknown, proto: object, values: unknown): object | undefined {
  if (!admit(c)) return undefined;
  const r = settledRecord(proto, values);
  shared.add(r);
  m.set(key, r);
  return r;
}
