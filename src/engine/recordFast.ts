// Immutable.js Record field access, hashing, equality and merge, faster.
//
// Reading a field (`s.tasks`, `r.get('x')`) is Immutable's hottest path in a
// spec: Record.get checks `_indices.hasOwnProperty(k)`, looks the index up,
// and reads the field's List through wrapIndex and listNodeFor. The version
// installed here reads the index once (own indices are numbers, inherited
// Object.prototype members never are, so `typeof` is the same test) and a
// record's at most 32 fields straight from the List's tail node.
//
// Immutable computes a Record's hashCode by building a keyed Seq of its
// entries and hashing that, every time: it caches nothing on the record. A
// Set or Map of records (TLA+'s sets of records: a message set, a request
// queue) re-hashes every record on every add and has, and on a trie split
// every record already in it; and Record.equals builds two Seqs per compare.
// Record.merge of one plain object (`task.merge({ pending: false })`) builds
// a Seq of the object, one of the record and a mutable copy.
// Installed on Record.prototype when the engine loads (src/engine/value.ts),
// these compute the same values faster:
//   - hashCode: Immutable's own formula (unordered keyed collection:
//     murmurHashOfSize(size, sum of hashMerge(hash(value), hash(key)))),
//     walking the record's fields directly, the key hashes cached per Record
//     type, and the result cached on the record when it is immutable (not
//     inside withMutations). Bit-identical to Immutable's, so every Set and Map
//     behaves exactly as before (test/engine/recordHash.test.ts).
//   - equals: for two records of the same Record type (same fields in the same
//     order), field by field with Immutable.is, after comparing their hashes
//     (computed and cached on both if need be: equal records hash alike);
//     records of different types with as many fields go to Immutable's own
//     equals (with a different number of fields they differ in size).
//   - merge of one plain object: one `set` per key, in Object.keys order.
// The first time a record of a type is hashed or compared, both are compiled
// for the type (`new Function`, the field count, slots, key hashes and
// defaults written into the code) and put on its prototype: one function
// shared by every type reads every type's records through megamorphic
// property caches (PaxosCommit: about 4% of a run).
// See docs/adr/0016-fast-fingerprints.md.
import { hash, is, List, Record } from 'immutable';
import { compiledFunction } from './compiledCode.ts';

interface ListFields {
  readonly _origin: number;
  readonly _capacity: number;
  readonly _tail: { readonly array: readonly unknown[] } | null | undefined;
}

interface RecordFields {
  readonly _keys: readonly string[];
  readonly _indices: { readonly [k: string]: unknown };
  readonly _values: List<unknown> & ListFields;
  readonly _defaultValues: { readonly [k: string]: unknown };
  readonly __ownerID: unknown;
  __klpIH?: number;
  /** keyHashesOf, on the type's prototype. */
  readonly __klpKH?: Int32Array;
}

const originalGet = Record.prototype.get as (this: unknown, k: string, notSetValue?: unknown) => unknown;
const originalHashCode = Record.prototype.hashCode as (this: unknown) => number;
const originalEquals = Record.prototype.equals as (this: unknown, other: unknown) => boolean;
const originalMerge = Record.prototype.merge as (this: unknown, ...collections: unknown[]) => unknown;
const originalSet = Record.prototype.set as (this: unknown, k: string, v: unknown) => unknown;

/** Immutable's hash of each field name, per Record type (prototype). */
const keyHashes = new Map<object, Int32Array>();

function keyHashesOf(r: RecordFields): Int32Array {
  const proto = Object.getPrototypeOf(r) as object;
  let hs = keyHashes.get(proto);
  if (hs === undefined) {
    hs = Int32Array.from(r._keys, (k) => hash(k));
    keyHashes.set(proto, hs);
    // Also on the prototype, where the next records of the type find it with one property read.
    if (Object.isExtensible(proto)) Object.defineProperty(proto, '__klpKH', { value: hs, enumerable: false });
  }
  return hs;
}

/** Record.get(keys[i]) without the key lookup: a field equal to its default is stored as undefined. */
function field(r: RecordFields, i: number): unknown {
  const v = stored(r._values, i);
  return v === undefined ? r._defaultValues[r._keys[i]!] : v;
}

/** The i-th stored value of a record's field List (undefined for a default). */
function stored(values: List<unknown> & ListFields, i: number): unknown {
  if (values._capacity <= 32) {
    // Immutable keeps a List of at most 32 slots wholly in its tail node.
    const tail = values._tail;
    return tail === null || tail === undefined ? undefined : tail.array[(values._origin + i) & 31];
  }
  return values.get(i);
}

function recordGet(this: RecordFields, k: string, notSetValue?: unknown): unknown {
  const i = this._indices[k];
  if (typeof i !== 'number') return notSetValue;
  const v = stored(this._values, i);
  return v === undefined ? this._defaultValues[k] : v;
}

/**
 * Record.merge({ k: v, ... }) of one plain object, as Immutable's: each own key set in Object.keys order
 * (a key the record lacks is ignored), the record itself when nothing changed. Immutable's builds a Seq
 * of the object and one of the record (to ask its size), a mutable copy and a closure per call (the
 * livepatch model's `task.merge({ pending: false, patchState })`: 4% of a run). A record inside
 * withMutations, a subclass with its own `set`, several arguments, or anything but a plain object
 * without symbol keys or a `length` (which Immutable would read as a list) go to Immutable's own.
 */
function recordMerge(this: RecordFields & { set(k: string, v: unknown): unknown }, ...collections: unknown[]): unknown {
  const obj = collections[0];
  if (
    collections.length !== 1 ||
    this.__ownerID ||
    this.set !== originalSet ||
    typeof obj !== 'object' ||
    obj === null ||
    Object.getPrototypeOf(obj) !== Object.prototype ||
    'length' in obj ||
    Object.getOwnPropertySymbols(obj).length !== 0
  ) {
    return originalMerge.apply(this, collections);
  }
  const fields = obj as { readonly [k: string]: unknown };
  let r: { set(k: string, v: unknown): unknown } = this;
  for (const k of Object.keys(fields)) r = r.set(k, fields[k]) as typeof r;
  return r;
}

/** Immutable's murmurHashOfSize, then smi. */
function murmurHashOfSize(size: number, h: number): number {
  h = Math.imul(h, 0xcc9e2d51);
  h = Math.imul((h << 15) | (h >>> -15), 0x1b873593);
  h = Math.imul((h << 13) | (h >>> -13), 5);
  h = ((h + 0xe6546b64) | 0) ^ size;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return ((h >>> 1) & 0x40000000) | (h & 0xbfffffff);
}

/** Immutable's hashMerge. */
const hashMerge = (a: number, b: number): number => (a ^ (b + 0x9e3779b9 + (a << 6) + (a >> 2))) | 0;

/** Immutable's hash of short strings (JVM formula, computed on every call there), cached: field values are few strings. */
const stringHashes = new Map<string, number>();
const STRING_HASHES_MAX = 100_000;

/** Immutable's hash(x), with the commonest field values (strings, small integers, hashed records) read without its dispatch. */
function fieldHash(x: unknown): number {
  switch (typeof x) {
    case 'string': {
      let h = stringHashes.get(x);
      if (h === undefined) {
        h = hash(x);
        if (stringHashes.size < STRING_HASHES_MAX) stringHashes.set(x, h);
      }
      return h;
    }
    case 'number':
      // hashNumber of a 32-bit integer is smi(n).
      return (x | 0) === x ? ((x >>> 1) & 0x40000000) | (x & 0xbfffffff) : hash(x);
    case 'object': {
      // A record's hash, cached by recordHashCode, is already a smi.
      const h = x === null ? undefined : (x as RecordFields).__klpIH;
      return h !== undefined ? h : hash(x);
    }
    default:
      return hash(x);
  }
}

function recordHashCode(this: RecordFields): number {
  const cached = this.__klpIH;
  if (cached !== undefined) return cached;
  const own = specialized(this);
  return own !== undefined ? own.hashCode.call(this) : genericHashCode.call(this);
}

/** genericHashCode after the cache, for a prototype that gets no compiled one. */
function cachedGenericHashCode(this: RecordFields): number {
  const cached = this.__klpIH;
  return cached !== undefined ? cached : genericHashCode.call(this);
}

function genericHashCode(this: RecordFields): number {
  const keys = this._keys;
  const values = this._values;
  if (!Array.isArray(keys) || !List.isList(values)) return originalHashCode.call(this);
  const kh = this.__klpKH ?? keyHashesOf(this);
  let h = 0;
  const n = keys.length;
  const tail = values._capacity <= 32 ? values._tail : undefined;
  if (tail !== undefined && tail !== null) {
    const arr = tail.array;
    const origin = values._origin;
    for (let i = 0; i < n; i++) {
      const v = arr[(origin + i) & 31];
      h = (h + hashMerge(fieldHash(v === undefined ? this._defaultValues[keys[i]!] : v), kh[i]!)) | 0;
    }
  } else {
    for (let i = 0; i < n; i++) h = (h + hashMerge(fieldHash(field(this, i)), kh[i]!)) | 0;
  }
  const result = murmurHashOfSize(keys.length, h);
  if (!this.__ownerID) this.__klpIH = result;
  return result;
}

function recordEquals(this: RecordFields, other: unknown): boolean {
  if (this === other) return true;
  const own = specialized(this);
  return own !== undefined ? own.equals.call(this, other) : genericEquals.call(this, other);
}

function genericEquals(this: RecordFields, other: unknown): boolean {
  if (this === other) return true;
  if (!Record.isRecord(other)) return false;
  const that = other as unknown as RecordFields;
  if (!List.isList(this._values) || !List.isList(that._values)) return originalEquals.call(this, other);
  // Equal values have equal hashes: two known, different hashes settle it.
  if (this.__klpIH !== undefined && that.__klpIH !== undefined && this.__klpIH !== that.__klpIH) return false;
  if (Object.getPrototypeOf(that) !== Object.getPrototypeOf(this)) {
    // Immutable compares records of two types as keyed collections: a different
    // number of fields is a different size, never equal.
    if (this._keys.length !== that._keys.length) return false;
    return originalEquals.call(this, other);
  }
  // Same type: compare hashes first (computed once and cached on each record: a record in a Set is
  // compared with many, and a probe record with every one of its type in a small Set).
  if (recordHashCode.call(this) !== recordHashCode.call(that)) return false;
  const n = this._keys.length;
  for (let i = 0; i < n; i++) {
    const x = field(this, i);
    const y = field(that, i);
    if (x === y) continue;
    // Two primitives: Immutable.is is === or both NaN.
    if (typeof x !== 'object' && typeof x !== 'function' && typeof y !== 'object' && typeof y !== 'function') {
      if (x !== x && y !== y) continue;
      return false;
    }
    if (!is(x, y)) return false;
  }
  return true;
}

interface Specialized {
  readonly hashCode: (this: RecordFields) => number;
  readonly equals: (this: RecordFields, other: unknown) => boolean;
}

/** Per record prototype: its compiled hashCode and equals, or null where the generic ones stay. */
const compiledFor = new WeakMap<object, Specialized | null>();

/**
 * hashCode and equals compiled for the record's type and put on its prototype (the first time a record of
 * the type is hashed or compared), so that later calls find them there: the field count, the slots, the key
 * hashes and the defaults are constants in the code, and its property reads see one type's records only.
 * The generic versions above serve one megamorphic call site for every type. Same results (the formula and
 * the comparisons are the same; test/engine/recordFast.test.ts compares with Immutable's own).
 */
function specialized(r: RecordFields): Specialized | undefined {
  const proto = Object.getPrototypeOf(r) as object | null;
  if (proto === null) return undefined;
  let own = compiledFor.get(proto);
  if (own === undefined) {
    own = compile(r, proto);
    compiledFor.set(proto, own);
    // Not compiled (a layout this file does not compile, or code generation refused): the generic versions
    // go on the prototype instead, so that later calls skip this look-up. Never over a type's own methods.
    const put = own ?? (isBase(proto) && Object.isExtensible(proto) ? { hashCode: cachedGenericHashCode, equals: genericEquals } : null);
    if (put !== null) {
      Object.defineProperty(proto, 'hashCode', { value: put.hashCode, writable: true, configurable: true, enumerable: false });
      Object.defineProperty(proto, 'equals', { value: put.equals, writable: true, configurable: true, enumerable: false });
    }
  }
  return own ?? undefined;
}

/** True when the prototype's hashCode and equals are Record's own (a subclass may define its own). */
function isBase(proto: object): boolean {
  const base = Record.prototype as unknown as { hashCode: unknown; equals: unknown };
  const found = proto as { hashCode?: unknown; equals?: unknown };
  return found.hashCode === base.hashCode && found.equals === base.equals;
}

function compile(r: RecordFields, proto: object): Specialized | null {
  const keys = r._keys;
  const defaults = r._defaultValues;
  // Only a type laid out as Immutable 5 lays records out, whose prototype takes new members, and whose
  // hashCode and equals are Record's own (a subclass may define its own).
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > 32 || typeof defaults !== 'object' || defaults === null) return null;
  if (!List.isList(r._values) || !Object.isExtensible(proto)) return null;
  if (!isBase(proto)) return null;
  const kh = keyHashesOf(r);
  const n = keys.length;
  // A field left at its default (stored as undefined) adds the same to the hash every time: computed here,
  // a literal in the code (a message's `type`, 1 of the 5 fields of each probe record PaxosCommit builds).
  const defaultPart = (i: number): string => {
    try {
      return String(hashMerge(fieldHash(defaults[keys[i]!]), kh[i]!));
    } catch {
      return `hashMerge(fieldHash(d${i}), ${kh[i]!})`;
    }
  };
  /** Field i of the record whose slots are `<w>a` from origin `<w>o` (a default is stored as undefined). */
  const field = (w: string, i: number): string => `((${w}v = ${w}a[(${w}o + ${i}) & 31]) === undefined ? d${i} : ${w}v)`;
  const fields = (f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i)).join('\n    ');
  const source = `${fields((i) => `const d${i} = defaults[${JSON.stringify(keys[i])}];`)}
  function hashCode() {
    const cached = this.__klpIH;
    if (cached !== undefined) return cached;
    const tvs = this._values;
    const tt = tvs._capacity <= 32 ? tvs._tail : undefined;
    if (tt === undefined || tt === null) return generic.hashCode.call(this);
    const ta = tt.array, to = tvs._origin;
    let h = 0, tv;
    ${fields((i) => `h = (h + ((tv = ta[(to + ${i}) & 31]) === undefined ? ${defaultPart(i)} : hashMerge(fieldHash(tv), ${kh[i]!}))) | 0;`)}
    const result = murmurHashOfSize(${n}, h);
    if (!this.__ownerID) this.__klpIH = result;
    return result;
  }
  function equals(other) {
    if (this === other) return true;
    // Both of this type exactly (a subclass's record, which finds this code on its prototype chain, too
    // may have a hashCode of its own): the generic equals otherwise.
    if (other === null || typeof other !== 'object') return false;
    const op = Object.getPrototypeOf(other);
    if (op !== proto || Object.getPrototypeOf(this) !== proto) {
      // A record of a type with another number of fields differs in size: never equal, as the generic equals
      // says, here without its calls (a probe record is compared with every element of a small Set).
      if (op !== proto && isRecord(other) && other._keys.length !== ${n}) return false;
      return generic.equals.call(this, other);
    }
    const x = this.__klpIH, y = other.__klpIH;
    if ((x === undefined ? this.hashCode() : x) !== (y === undefined ? other.hashCode() : y)) return false;
    const tvs = this._values, ovs = other._values;
    const tt = tvs._capacity <= 32 ? tvs._tail : undefined, ot = ovs._capacity <= 32 ? ovs._tail : undefined;
    if (tt === undefined || tt === null || ot === undefined || ot === null) return generic.equals.call(this, other);
    const ta = tt.array, to = tvs._origin, oa = ot.array, oo = ovs._origin;
    let tv, ov, p, q;
    ${fields((i) => `p = ${field('t', i)}; q = ${field('o', i)}; if (p !== q && !same(p, q)) return false;`)}
    return true;
  }
  return { hashCode, equals };`;
  const make = compiledFunction(['defaults', 'proto', 'generic', 'hashMerge', 'fieldHash', 'murmurHashOfSize', 'same', 'isRecord'], source) as
    | ((defaults: object, proto: object, generic: Specialized, hashMerge: unknown, fieldHash: unknown, murmur: unknown, same: unknown, isRecord: unknown) => Specialized)
    | undefined;
  if (make === undefined) return null;
  return make(defaults, proto, { hashCode: genericHashCode, equals: genericEquals }, hashMerge, fieldHash, murmurHashOfSize, sameField, Record.isRecord);
}

/** Immutable.is for two field values already found not ===. */
function sameField(x: unknown, y: unknown): boolean {
  // Two primitives: Immutable.is is === or both NaN.
  if (typeof x !== 'object' && typeof x !== 'function' && typeof y !== 'object' && typeof y !== 'function') return x !== x && y !== y;
  return is(x, y);
}

const proto = Record.prototype as unknown as { get: unknown; hashCode: unknown; equals: unknown };
// Only where Records are laid out as this file expects (immutable 5.x).
const probe = Record({ a: 1 })({ a: 2 }) as unknown as RecordFields;
if (typeof probe._indices === 'object' && List.isList(probe._values) && typeof probe._values._capacity === 'number' && recordGet.call(probe, 'a') === 2) {
  proto.get = recordGet;
}
proto.hashCode = recordHashCode;
proto.equals = recordEquals;
(proto as { merge?: unknown }).merge = recordMerge;

/** Immutable's own Record get, hashCode and equals, for tests that compare. */
export const immutableRecordGet = originalGet;
export const immutableRecordHashCode = originalHashCode;
export const immutableRecordEquals = originalEquals;
export const immutableRecordMerge = originalMerge;
