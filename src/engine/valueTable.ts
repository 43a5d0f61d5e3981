// The state codec's table of shared small records (hash-consing), so that a
// state read back from the packed frontier holds the same record objects as
// every other state that holds an equal record.
//
// Why: a record a state decodes to is a new object with no memo, so the
// successors of every frontier state hashed all its records again (the
// engine's fingerprint memo, Immutable's hashCode for every Set add and has):
// on PaxosCommit, whose `msgs` is a Set of a few dozen distinct messages, that
// was a fifth of the run. A record whose fields are all primitives or model
// values ("flat", a message, an acceptor's state) is written once as a table
// id; every decode returns the one shared object, memos included. Equal
// records are equal whichever object holds them (Immutable compares values),
// so sharing them changes no count, order or trace.
//
// With several searchers (src/engine/parallel/) the tables share one id space
// as the codecs do: table `slot` of `stride` makes ids slot, slot + stride,
// ...; the records it made go to the others (`takeMade`, then `adopt`), which
// read them from then on.
//
// The table is the codec's (it lives as long as the search). Its own records
// (what decoding hands out, so what most states hold) are found by identity;
// another record by its fingerprint (which the seen-set check has just
// memoised on it) and Immutable.is. The table keeps the Record factory's
// shared record of that value (recordIntern.ts, docs/adr/0024), so that the
// states it decodes hold the objects the spec's actions build; where there is
// none, a copy laid out as shared records are, with every memo slot from the
// start, in one order: its records are read by every state holding them, and
// mixed object layouts made the spec's field reads polymorphic (5% slower on
// the livepatch workload, measured). The table
// stops growing at MAX_VALUES, and stops growing early when it does not pay (a
// model whose flat records are mostly distinct: each would be written once).
import { is } from 'immutable';
import { fingerprint, fpHi } from './fingerprint.ts';
import { isModelValue } from './modelValue.ts';
import { isInterned, settledRecord } from './recordIntern.ts';

/** Values the table may hold; each costs its record (~100-200 bytes) plus a slot. */
const MAX_VALUES = 1 << 18;
/** After this many values, keep adding only while every value is used about 4 times. */
const TRIAL = 4096;
const MIN_USES_PER_VALUE = 4;
/** What `ref` says of a record that holds a collection or a record. */
export const NOT_FLAT = -2;

interface Marked {
  __klpH?: number;
}

export class ValueTable {
  /** The records by id (sparse when ids are shared with other tables). */
  readonly values: unknown[] = [];
  /** First id per fingerprint high lane; further ids of that lane (rare) in `collisions`. */
  private readonly byHash = new Map<number, number>();
  private readonly collisions = new Map<number, number[]>();
  private uses = 0;
  private growing = true;
  /** Records this table made ids for; those not yet taken by `takeMade`. */
  private made = 0;
  private newValues: { id: number; value: unknown }[] = [];
  /** The table's own records (what decoding returns), by identity. */
  private readonly marks = new Map<object, number>();
  private readonly slot: number;
  private readonly stride: number;

  constructor(slot = 0, stride = 1) {
    this.slot = slot;
    this.stride = stride;
  }

  /** Number of records this table made ids for. */
  get size(): number {
    return this.made;
  }

  /** The records given ids since the last call (for the tables that share this one's id space). */
  takeMade(): { id: number; value: unknown }[] {
    const out = this.newValues;
    this.newValues = [];
    return out;
  }

  /** Reads another table's id `id` as `value` (this thread's copy of it) from now on, and writes it for equal records. */
  adopt(id: number, decoded: object): void {
    if (this.values[id] !== undefined) return;
    const value = settled(decoded);
    this.values[id] = value;
    let h = (value as Marked).__klpH;
    if (h === undefined) {
      fingerprint(value);
      h = fpHi;
    }
    if (this.find(value, h) < 0) this.index(h, id);
    // The pool's record may already be this table's own (made here first): it keeps its id.
    if (!this.marks.has(value)) this.marks.set(value, id);
  }

  /**
   * The id of record `r`; NOT_FLAT when a field holds a collection or a record; -1 when
   * it is not in the table and the table is not growing. Its n field values are stored[(origin + i) & 31],
   * undefined standing for defaults[i] (Immutable's layout of a short value List).
   */
  ref(r: object, stored: readonly unknown[], origin: number, defaults: readonly unknown[], n: number): number {
    const m = r as Marked;
    const known = this.marks.get(r);
    if (known !== undefined) {
      this.uses++;
      return known;
    }
    if (!this.growing && this.made === 0) return -1;
    for (let i = 0; i < n; i++) {
      let x = stored[(origin + i) & 31];
      if (x === undefined) x = defaults[i];
      const t = typeof x;
      if (t !== 'number' && t !== 'string' && t !== 'boolean' && !isModelValue(x)) return NOT_FLAT;
    }
    let h = m.__klpH;
    if (h === undefined) {
      fingerprint(r);
      h = fpHi;
    }
    const id = this.find(r, h);
    if (id >= 0) {
      this.uses++;
      return id;
    }
    if (!this.growing) return -1;
    const made = this.made;
    if (made >= MAX_VALUES || (made >= TRIAL && this.uses < MIN_USES_PER_VALUE * made)) {
      this.growing = false;
      return -1;
    }
    const added = this.slot + this.stride * this.made++;
    const kept = settled(r);
    this.values[added] = kept;
    this.index(h, added);
    if (this.stride > 1) this.newValues.push({ id: added, value: kept });
    this.marks.set(kept, added);
    this.uses++;
    return added;
  }

  private index(h: number, id: number): void {
    const first = this.byHash.get(h);
    if (first === undefined) this.byHash.set(h, id);
    else {
      const more = this.collisions.get(h);
      if (more === undefined) this.collisions.set(h, [id]);
      else more.push(id);
    }
  }

  private find(r: object, h: number): number {
    const first = this.byHash.get(h);
    if (first === undefined) return -1;
    if (is(this.values[first], r)) return first;
    for (const id of this.collisions.get(h) ?? []) if (is(this.values[id], r)) return id;
    return -1;
  }
}

/**
 * Record `r` as the table keeps it: the pool's shared record itself (recordIntern.ts: what the spec's
 * actions build, so that a decoded state holds those very objects), else a copy with every memo slot
 * from the start, in the one order shared records have: the table's records are read by every state
 * that holds them, and one object layout keeps the field reads of the spec's code on them monomorphic.
 */
function settled(r: object): object {
  if (isInterned(r)) return r;
  const shared = pooled(r);
  if (shared !== undefined) return shared;
  const from = r as Partial<Memos>;
  const c = settledRecord(Object.getPrototypeOf(r) as object, (r as { _values: unknown })._values);
  c.__klpH = from.__klpH;
  c.__klpL = from.__klpL;
  c.__klpIH = from.__klpIH;
  c.__klpEA = from.__klpEA;
  c.__klpEB = from.__klpEB;
  return c;
}

/**
 * The pool's shared record equal to `r` (one made by `set`, by Immutable's constructor, or decoded from
 * another searcher's bytes), built by r's own type from its fields; undefined if the pool does not hand
 * one out (a subclass's record, a type built by Immutable's factory, a full pool).
 */
function pooled(r: object): object | undefined {
  const ctor = (r as { constructor?: unknown }).constructor;
  const toObject = (r as { toObject?: unknown }).toObject;
  if (typeof ctor !== 'function' || typeof toObject !== 'function') return undefined;
  let p: unknown;
  try {
    p = (ctor as (fields: unknown) => unknown)(toObject.call(r));
  } catch {
    return undefined; // a subclass's constructor, which only `new` may call
  }
  if (typeof p !== 'object' || p === null || !isInterned(p)) return undefined;
  return Object.getPrototypeOf(p) === Object.getPrototypeOf(r) && is(p, r) ? p : undefined;
}

interface Memos {
  __klpH: number;
  __klpL: number;
  __klpIH: number;
  __klpEA: number;
  __klpEB: number;
}
