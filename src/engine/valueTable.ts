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
// The table is the codec's (it lives as long as the search). A record is
// looked up by its fingerprint (which the seen-set check has just memoised
// on it) and Immutable.is; once found it is marked with its id, so the next
// encode of the same object costs one property read. The table stops growing
// at MAX_VALUES, and stops growing early when it does not pay (a model whose
// flat records are mostly distinct: each new one would be written once).
import { is } from 'immutable';
import { fingerprint, fpHi } from './fingerprint.ts';
import { isModelValue } from './modelValue.ts';

/** Values the table may hold; each costs its record (~100-200 bytes) plus a slot. */
const MAX_VALUES = 1 << 18;
/** After this many values, keep adding only while every value is used about 4 times. */
const TRIAL = 4096;
const MIN_USES_PER_VALUE = 4;
/** Ids live below 2^24 in a record's mark (MAX_VALUES times 64 searchers); the rest of the mark says which table. */
const ID_SPAN = 2 ** 24;

interface Marked {
  __klpV?: number;
  __klpH?: number;
}

let tables = 0;

export class ValueTable {
  /** The records by id (sparse when ids are shared with other tables). */
  readonly values: unknown[] = [];
  /** First id per fingerprint high lane; further ids of that lane (rare) in `collisions`. */
  private readonly byHash = new Map<number, number>();
  private readonly collisions = new Map<number, number[]>();
  /** This table's marks are base .. base + ID_SPAN - 1. */
  private readonly base = ++tables * ID_SPAN;
  private uses = 0;
  private growing = true;
  /** Records this table made ids for; those not yet taken by `takeMade`. */
  private made = 0;
  private newValues: { id: number; value: unknown }[] = [];
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
  adopt(id: number, value: object): void {
    if (this.values[id] !== undefined) return;
    this.values[id] = value;
    let h = (value as Marked).__klpH;
    if (h === undefined) {
      fingerprint(value);
      h = fpHi;
    }
    if (this.find(value, h) < 0) this.index(h, id);
    (value as Marked).__klpV = this.base + id;
  }

  /**
   * The id of record `r`, or -1 when it is not in the table and cannot be added (not
   * flat, or the table is not growing). Its n field values are stored[(origin + i) & 31],
   * undefined standing for defaults[i] (Immutable's layout of a short value List).
   */
  ref(r: object, stored: readonly unknown[], origin: number, defaults: readonly unknown[], n: number): number {
    const m = r as Marked;
    const mark = m.__klpV;
    if (mark !== undefined) {
      const id = mark - this.base;
      if (id >= 0 && id < ID_SPAN) {
        this.uses++;
        return id;
      }
    }
    if (!this.growing && this.made === 0) return -1;
    for (let i = 0; i < n; i++) {
      let x = stored[(origin + i) & 31];
      if (x === undefined) x = defaults[i];
      const t = typeof x;
      if (t !== 'number' && t !== 'string' && t !== 'boolean' && !isModelValue(x)) return -1;
    }
    let h = m.__klpH;
    if (h === undefined) {
      fingerprint(r);
      h = fpHi;
    }
    const id = this.find(r, h);
    if (id >= 0) {
      this.uses++;
      m.__klpV = this.base + id;
      return id;
    }
    if (!this.growing) return -1;
    const made = this.made;
    if (made >= MAX_VALUES || (made >= TRIAL && this.uses < MIN_USES_PER_VALUE * made)) {
      this.growing = false;
      return -1;
    }
    const added = this.slot + this.stride * this.made++;
    this.values[added] = r;
    this.index(h, added);
    if (this.stride > 1) this.newValues.push({ id: added, value: r });
    m.__klpV = this.base + added;
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
