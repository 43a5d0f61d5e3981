// A compact byte encoding of states, so that the BFS frontier can be held in
// big byte segments (or on disk) instead of as live Immutable.js objects.
//
// Any value the engine accepts (src/engine/value.ts, the kinds fingerprint.ts
// walks) round-trips to an EQUAL value of the same type: the same Record class,
// Map vs OrderedMap and Set vs OrderedSet kept apart, the same interned model
// value, -0 and NaN kept. More than equal: a decoded Map or Set iterates in the
// same order as the original and behaves the same under later updates, so
// that successors come out in the same order and the search is unchanged.
// Immutable.js keeps a Map of at most 8 entries as an insertion-ordered array
// unless it once grew past 8 and shrank (then it stays a hash trie); such a
// "hashed small" Map or Set is flagged and rebuilt as a trie (grown past 8 with
// pad keys, which are then removed).
//
// Strings and model-value names are interned in a table of the codec (which
// lives as long as the search; encoded bytes are only meaningful to the codec
// that wrote them), Record classes likewise. Integers are zigzag varints, the
// commonest (0..223) one byte with their tag.
import { List, Map as IMap, OrderedMap, OrderedSet, Record, Set as ISet } from 'immutable';
import { KlpError } from './errors.ts';
import { type ListInternals, smallListArray } from './fingerprint.ts';
import { ModelValue, isModelValue } from './modelValue.ts';
import { smallList } from './smallList.ts';

const T_FALSE = 0;
const T_TRUE = 1;
const T_INT = 2;
const T_FLOAT = 3;
const T_STR = 4;
const T_STR_INLINE = 5;
const T_BIGINT = 6;
const T_MODEL = 7;
const T_LIST = 8;
const T_SET = 9;
const T_OSET = 10;
const T_MAP = 11;
const T_OMAP = 12;
const T_RECORD = 13;
const T_SET_HASHED = 14;
const T_MAP_HASHED = 15;
/** Tags from here on are the integers 0 .. 255 - SMALL. */
const SMALL = 32;
const SMALL_MAX = 255 - SMALL;

/** Beyond this many interned strings, new strings are written inline. */
const MAX_INTERNED = 1 << 20;
/** Immutable.js's MAX_ARRAY_MAP_SIZE: larger Maps are always hash tries. */
const ARRAY_MAP_MAX = 8;

type RecordFactory = Record.Factory<object>;
type AnyMap = IMap<unknown, unknown>;
type AnySet = ISet<unknown>;

/** The internals read to tell an array-backed small Map from a hash trie. */
interface MapInternals {
  _root?: { entries?: unknown; keyHash?: unknown };
}

/** What a Record instance holds (Immutable.js's own makeRecord builds one the same way). */
interface RecordInternals {
  _defaultValues: { readonly [k: string]: unknown };
  _values: List<unknown>;
  __ownerID: undefined;
}

/**
 * A Record of class `ctor` from its field values in key order, a value equal
 * to the field's default given as undefined, exactly as the constructor stores
 * them; without the constructor's detour through a keyed Seq of an object.
 */
function makeRecord(ctor: RecordFactory, values: unknown[]): unknown {
  const r = Object.create(ctor.prototype as object) as RecordInternals;
  r._values = smallList(values);
  r.__ownerID = undefined;
  return r;
}

/** A key equal only to itself, used to push a small Map past 8 entries. */
class PadKey {
  constructor(private readonly h: number) {}
  equals(other: unknown): boolean {
    return other === this;
  }
  hashCode(): number {
    return this.h;
  }
}
/** Sets of pads, one per attempt (a pad whose hash equals two keys' could reorder them). */
const PADS: readonly (readonly PadKey[])[] = Array.from({ length: 4 }, (_, a) =>
  Array.from({ length: ARRAY_MAP_MAX + 1 }, (_, i) => new PadKey(Math.imul(a * 16 + i + 1, 0x9e3779b1) | 0)),
);

/** True when the Map is a hash trie, not the insertion-ordered array Immutable.js uses for small Maps. */
function isTrie(m: AnyMap): boolean {
  const root = (m as unknown as MapInternals)._root;
  return root !== undefined && !(root.entries !== undefined && root.keyHash === undefined);
}

/**
 * A hash trie whose iteration order is that of `keys`. Plain insertion would
 * not do: entries whose 32-bit hashes collide keep their insertion order, but
 * the switch from array to trie at the 9th entry puts that entry first. So the
 * trie is made first (9 pads, all but one removed), then the keys go in, then
 * the last pad goes; the order is verified (identity of keys, cheap).
 */
function trie<M extends AnyMap | AnySet>(empty: () => M, keys: readonly unknown[], values: readonly unknown[] | undefined): M {
  const put = (m: M, k: unknown, v: unknown): void => {
    if (values === undefined) (m as AnySet).add(k);
    else (m as AnyMap).set(k, v);
  };
  for (const pads of PADS) {
    const m = empty();
    for (const p of pads) put(m, p, true);
    for (let i = 1; i < pads.length; i++) m.delete(pads[i]);
    for (let i = 0; i < keys.length; i++) put(m, keys[i], values?.[i]);
    m.delete(pads[0]);
    let i = 0;
    let same = true;
    (m as AnyMap).forEach((_v, k) => {
      if (!Object.is(k, keys[i++])) same = false;
    });
    if (same) return m;
  }
  throw new Error('internal: state codec could not rebuild a hash map in its order');
}

const LIST_PROTO: object = List.prototype;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

export class StateCodec {
  private buf = new Uint8Array(4096);
  private pos = 0;
  private rbuf: Uint8Array = new Uint8Array(0);
  private rpos = 0;
  private readonly stringIds = new Map<string, number>();
  private readonly strings: string[] = [];
  private readonly recordIds = new Map<unknown, number>();
  private readonly records: RecordFactory[] = [];
  private readonly recordKeys: string[][] = [];
  private readonly recordDefaults: unknown[][] = [];
  /** Read position of the last `decode` (the byte after the value). */
  end = 0;

  /** Encodes `v`; the bytes are valid until the next call (copy them). */
  encode(v: unknown): Uint8Array {
    this.pos = 0;
    this.value(v);
    return this.buf.subarray(0, this.pos);
  }

  /** Decodes the value starting at `at` in `bytes`; `end` is left after it. */
  decode(bytes: Uint8Array, at = 0): unknown {
    this.rbuf = bytes;
    this.rpos = at;
    const v = this.read();
    this.end = this.rpos;
    return v;
  }

  /** Number of interned strings (and model-value names). */
  get internedStrings(): number {
    return this.strings.length;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.buf.subarray(0, this.pos));
    this.buf = bigger;
  }

  private uint(n: number): void {
    this.ensure(8);
    const buf = this.buf;
    while (n >= 0x80) {
      buf[this.pos++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    buf[this.pos++] = n;
  }

  private tag(t: number): void {
    this.ensure(1);
    this.buf[this.pos++] = t;
  }

  private stringRef(s: string): number {
    let id = this.stringIds.get(s);
    if (id === undefined) {
      if (this.strings.length >= MAX_INTERNED) return -1;
      id = this.strings.length;
      this.strings.push(s);
      this.stringIds.set(s, id);
    }
    return id;
  }

  private value(v: unknown): void {
    switch (typeof v) {
      case 'number':
        if ((v | 0) === v && !Object.is(v, -0)) {
          if (v >= 0 && v <= SMALL_MAX) {
            this.tag(SMALL + v);
          } else {
            this.tag(T_INT);
            this.uint(((v << 1) ^ (v >> 31)) >>> 0);
          }
        } else {
          this.tag(T_FLOAT);
          this.ensure(8);
          f64[0] = v;
          this.buf.set(f64Bytes, this.pos);
          this.pos += 8;
        }
        return;
      case 'string': {
        const id = this.stringRef(v);
        if (id >= 0) {
          this.tag(T_STR);
          this.uint(id);
        } else {
          this.inline(T_STR_INLINE, v);
        }
        return;
      }
      case 'boolean':
        this.tag(v ? T_TRUE : T_FALSE);
        return;
      case 'bigint':
        this.inline(T_BIGINT, v.toString());
        return;
      case 'object':
        if (v === null) throw new KlpError('KLP109', 'a state holds null, which the checker cannot store');
        break;
      default:
        throw new KlpError('KLP109', `a state holds ${typeof v}, which the checker cannot store`);
    }
    if (isModelValue(v)) {
      this.tag(T_MODEL);
      // Model values are few (a .cfg's constants): always interned.
      let id = this.stringIds.get(v.name);
      if (id === undefined) {
        id = this.strings.length;
        this.strings.push(v.name);
        this.stringIds.set(v.name, id);
      }
      this.uint(id);
      return;
    }
    if (Record.isRecord(v)) {
      const ctor = v.constructor;
      let id = this.recordIds.get(ctor);
      if (id === undefined) {
        id = this.records.length;
        this.records.push(ctor as RecordFactory);
        const keys = [...v.toSeq().keys()].map(String);
        this.recordKeys.push(keys);
        const defaults = (ctor.prototype as RecordInternals)._defaultValues;
        this.recordDefaults.push(keys.map((k) => defaults[k]));
        this.recordIds.set(ctor, id);
      }
      this.tag(T_RECORD);
      this.uint(id);
      const keys = this.recordKeys[id]!;
      // The field values straight from the Record's value List when it is short and plain (as fingerprint.ts reads them).
      const values = (v as unknown as RecordInternals)._values as unknown as ListInternals | undefined;
      const arr = values !== undefined && Object.getPrototypeOf(values) === LIST_PROTO && values.size === keys.length ? smallListArray(values) : undefined;
      if (arr !== undefined) {
        const defaults = this.recordDefaults[id]!;
        const origin = values!._origin;
        for (let i = 0; i < keys.length; i++) {
          const x = arr[(origin + i) & 31];
          this.value(x === undefined ? defaults[i] : x);
        }
      } else {
        const r = v as unknown as { get(k: string): unknown };
        for (let i = 0; i < keys.length; i++) this.value(r.get(keys[i]!));
      }
      return;
    }
    if (Object.getPrototypeOf(v) === LIST_PROTO) {
      const l = v as ListInternals;
      const arr = smallListArray(l);
      if (arr !== undefined) {
        this.tag(T_LIST);
        this.uint(l.size);
        for (let i = l._origin; i < l._capacity; i++) this.value(arr[i & 31]);
        return;
      }
    }
    if (List.isList(v)) {
      const l = v as List<unknown>;
      this.tag(T_LIST);
      this.uint(l.size);
      l.forEach((x) => {
        this.value(x);
      });
      return;
    }
    if (ISet.isSet(v)) {
      const s = v as AnySet;
      const ordered = OrderedSet.isOrderedSet(s);
      this.tag(ordered ? T_OSET : isTrie((s as unknown as { _map: AnyMap })._map) ? T_SET_HASHED : T_SET);
      this.uint(s.size);
      s.forEach((x) => {
        this.value(x);
      });
      return;
    }
    if (IMap.isMap(v)) {
      const m = v as AnyMap;
      const ordered = OrderedMap.isOrderedMap(m);
      this.tag(ordered ? T_OMAP : isTrie(m) ? T_MAP_HASHED : T_MAP);
      this.uint(m.size);
      m.forEach((x, k) => {
        this.value(k);
        this.value(x);
      });
      return;
    }
    throw new KlpError('KLP109', 'a state holds a plain object or array; use Immutable Record, Map, List or Set');
  }

  /** Rare: a bigint, or a string once the intern table is full. */
  private inline(tag: number, s: string): void {
    const bytes = utf8.encode(s);
    this.tag(tag);
    this.uint(bytes.length);
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  private readUint(): number {
    const buf = this.rbuf;
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = buf[this.rpos++]!;
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 128;
    }
  }

  private read(): unknown {
    const t = this.rbuf[this.rpos++]!;
    if (t >= SMALL) return t - SMALL;
    switch (t) {
      case T_FALSE:
        return false;
      case T_TRUE:
        return true;
      case T_INT: {
        const z = this.readUint();
        return (z >>> 1) ^ -(z & 1);
      }
      case T_FLOAT:
        f64Bytes.set(this.rbuf.subarray(this.rpos, this.rpos + 8));
        this.rpos += 8;
        return f64[0]!;
      case T_STR:
        return this.strings[this.readUint()]!;
      case T_STR_INLINE:
        return this.readInline();
      case T_BIGINT:
        return BigInt(this.readInline());
      case T_MODEL:
        return ModelValue.intern(this.strings[this.readUint()]!);
      case T_RECORD: {
        const id = this.readUint();
        const keys = this.recordKeys[id]!;
        const defaults = this.recordDefaults[id]!;
        const values = new Array<unknown>(keys.length);
        for (let i = 0; i < keys.length; i++) {
          const v = this.read();
          values[i] = v === defaults[i] ? undefined : v;
        }
        return makeRecord(this.records[id]!, values);
      }
      case T_LIST: {
        const n = this.readUint();
        const xs = new Array<unknown>(n);
        for (let i = 0; i < n; i++) xs[i] = this.read();
        return smallList(xs);
      }
      case T_SET:
      case T_OSET: {
        const n = this.readUint();
        const s = (t === T_OSET ? OrderedSet<unknown>() : ISet<unknown>()).asMutable();
        for (let i = 0; i < n; i++) s.add(this.read());
        return s.asImmutable();
      }
      case T_SET_HASHED: {
        const n = this.readUint();
        const xs = new Array<unknown>(n);
        for (let i = 0; i < n; i++) xs[i] = this.read();
        // A Set is a Map from each element to itself.
        return trie(() => ISet<unknown>().asMutable(), xs, undefined).asImmutable();
      }
      case T_MAP:
      case T_OMAP: {
        const n = this.readUint();
        const m = (t === T_OMAP ? OrderedMap<unknown, unknown>() : IMap<unknown, unknown>()).asMutable();
        for (let i = 0; i < n; i++) {
          const k = this.read();
          m.set(k, this.read());
        }
        return m.asImmutable();
      }
      case T_MAP_HASHED: {
        const n = this.readUint();
        const ks = new Array<unknown>(n);
        const vs = new Array<unknown>(n);
        for (let i = 0; i < n; i++) {
          ks[i] = this.read();
          vs[i] = this.read();
        }
        return trie(() => IMap<unknown, unknown>().asMutable(), ks, vs).asImmutable();
      }
      default:
        throw new Error(`internal: state codec read tag ${t} at byte ${this.rpos - 1}`);
    }
  }

  private readInline(): string {
    const n = this.readUint();
    const text = fromUtf8.decode(this.rbuf.subarray(this.rpos, this.rpos + n));
    this.rpos += n;
    return text;
  }
}
