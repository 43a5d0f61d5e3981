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
// Strings and model-value names are interned, Record classes likewise, in
// tables of the codec (src/engine/codecIds.ts; they live as long as the
// search: encoded bytes are only meaningful to the codec that wrote them).
// Flat records (every field a primitive or model value) are written once and
// then as an id of the codec's value table (src/engine/valueTable.ts), so a
// decoded state shares them, memos included. A record's field left at its
// default (which Immutable stores as undefined) is one byte. Integers are
// zigzag varints, the commonest (0..223) one byte with their tag.
//
// Several codecs can share one id space (`--workers`, src/engine/parallel/):
// codec `slot` of `stride` hands out ids slot, slot + stride, ... so that two
// never give one id two meanings; `takeEntries` lists the ids it made since
// the last call, and the others adopt them (`adoptStrings`, `adoptRecord`,
// `adoptValues`) before they read bytes that use them.
import { List, Map as IMap, OrderedMap, OrderedSet, Record, Set as ISet } from 'immutable';
import { KlpError } from './errors.ts';
import { type ListInternals, smallListArray, withSums } from './fingerprint.ts';
import { ModelValue, isModelValue } from './modelValue.ts';
import { smallList } from './smallList.ts';
import { NOT_FLAT, ValueTable } from './valueTable.ts';
import { CodecIds } from './codecIds.ts';
import { T_FALSE, T_TRUE, T_INT, T_FLOAT, T_STR, T_STR_INLINE, T_BIGINT, T_MODEL, T_LIST, T_SET, T_OSET, T_MAP, T_OMAP, T_RECORD, T_SET_HASHED, T_MAP_HASHED, T_SHARED, T_DEFAULT, DEFAULT_FIELD, SMALL, SMALL_MAX } from './codecTags.ts';
import { type AnyMap, arrayMap, arraySet, type AnySet, type CodecEntries, isTrie, makeRecord, type RecordFactory, type RecordInternals, trie } from './codecShapes.ts';

export { type CodecEntries, recordSignature } from './codecShapes.ts';

/** A Record class whose records were this many times in a row not flat is not tried for the table again. */
const CLASS_NOT_FLAT = 64;

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
  /** What the ids in the bytes stand for (strings, Record classes); its tables, read directly when decoding. */
  private readonly ids: CodecIds;
  private readonly strings: string[];
  private readonly records: RecordFactory[];
  private readonly recordKeys: string[][];
  private readonly recordDefaults: unknown[][];
  private readonly notFlat: number[];
  /** Shared flat records, in the codec's id space. */
  private readonly table: ValueTable;
  /** The value `encode` was called with (never put in the table: a whole state is rarely repeated). */
  private root: unknown = undefined;
  /** Read position of the last `decode` (the byte after the value). */
  end = 0;

  /** A codec of its own (the default), or codec `slot` of `stride` sharing one id space. */
  constructor(slot = 0, stride = 1) {
    this.ids = new CodecIds(slot, stride);
    ({ strings: this.strings, records: this.records, recordKeys: this.recordKeys, recordDefaults: this.recordDefaults, notFlat: this.notFlat } = this.ids);
    this.table = new ValueTable(slot, stride);
  }

  /** Encodes `v`; the bytes are valid until the next call (copy them). */
  encode(v: unknown): Uint8Array {
    this.pos = 0;
    this.root = v;
    this.value(v);
    this.root = undefined;
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

  /** Number of interned strings (and model-value names) this codec made ids for. */
  get internedStrings(): number {
    return this.ids.internedStrings;
  }

  /** Records this codec put in its table of shared flat records. */
  get sharedRecords(): number {
    return this.table.size;
  }

  /** The ids this codec made since the last call (for the codecs that share its id space). */
  takeEntries(): CodecEntries {
    // A shared record is sent as its own bytes (which may give its strings their ids: first).
    const values = this.table.takeMade().map(({ id, value }) => ({ id, bytes: this.encode(value).slice() }));
    return { ...this.ids.take(), values };
  }

  /** Record classes given ids since the last `takeEntries`. */
  get pendingRecords(): number {
    return this.ids.pendingRecords;
  }

  /** Reads another codec's string ids from now on (and writes them, for strings this codec has no id for). */
  adoptStrings(entries: CodecEntries['strings']): void {
    this.ids.adoptStrings(entries);
  }

  /** Reads another codec's id for Record class `ctor` (a class of this thread with the same signature). */
  adoptRecord(id: number, ctor: RecordFactory, keys: readonly string[]): void {
    this.ids.adoptRecord(id, ctor, keys);
  }

  /** Reads another codec's shared records (after the strings and Record classes they use). */
  adoptValues(entries: CodecEntries['values']): void {
    for (const { id, bytes } of entries) this.table.adopt(id, this.decode(bytes) as object);
  }

  /** True when the bytes may use Record class id `id`. */
  knowsRecord(id: number): boolean {
    return this.ids.knowsRecord(id);
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
        const id = this.ids.stringRef(v);
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
    // The commonest kind first, by prototype: a List would otherwise pay two
    // megamorphic brand reads (model value, record) before its own test.
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
    if (isModelValue(v)) {
      this.tag(T_MODEL);
      // Model values are few (a .cfg's constants): always interned.
      const id = this.ids.nameRef(v.name);
      this.uint(id);
      return;
    }
    if (Record.isRecord(v)) {
      // The field values straight from the Record's value List when it is short and plain (as fingerprint.ts reads them).
      const values = (v as unknown as RecordInternals)._values as unknown as ListInternals | undefined;
      const short = values !== undefined && Object.getPrototypeOf(values) === LIST_PROTO ? smallListArray(values) : undefined;
      const id = this.ids.recordRef(v);
      const keys = this.recordKeys[id]!;
      const arr = short !== undefined && values!.size === keys.length ? short : undefined;
      if (arr !== undefined && v !== this.root && this.notFlat[id]! < CLASS_NOT_FLAT) {
        const shared = this.table.ref(v, arr, values!._origin, this.recordDefaults[id]!, keys.length);
        if (shared >= 0) {
          this.tag(T_SHARED);
          this.uint(shared);
          this.notFlat[id] = 0;
          return;
        }
        if (shared === NOT_FLAT) this.notFlat[id]!++;
      }
      this.tag(T_RECORD);
      this.uint(id);
      if (arr !== undefined) {
        const origin = values!._origin;
        for (let i = 0; i < keys.length; i++) {
          const x = arr[(origin + i) & 31];
          if (x === undefined) this.tag(T_DEFAULT);
          else this.value(x);
        }
      } else {
        const r = v as unknown as { get(k: string): unknown };
        for (let i = 0; i < keys.length; i++) this.value(r.get(keys[i]!));
      }
      return;
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
          values[i] = v === DEFAULT_FIELD || v === defaults[i] ? undefined : v;
        }
        return makeRecord(this.records[id]!, values);
      }
      case T_SHARED:
        return this.table.values[this.readUint()];
      case T_DEFAULT:
        return DEFAULT_FIELD;
      case T_LIST: {
        const n = this.readUint();
        const xs = new Array<unknown>(n);
        for (let i = 0; i < n; i++) xs[i] = this.read();
        return smallList(xs);
      }
      case T_SET: {
        const n = this.readUint();
        const xs = new Array<unknown>(n);
        for (let i = 0; i < n; i++) xs[i] = this.read();
        return withSums(arraySet(xs) ?? ISet(xs));
      }
      case T_OSET: {
        const n = this.readUint();
        const s = OrderedSet<unknown>().asMutable();
        for (let i = 0; i < n; i++) s.add(this.read());
        return s.asImmutable();
      }
      case T_SET_HASHED: {
        const n = this.readUint();
        const xs = new Array<unknown>(n);
        for (let i = 0; i < n; i++) xs[i] = this.read();
        // A Set is a Map from each element to itself.
        return withSums(trie(() => ISet<unknown>().asMutable(), xs, undefined).asImmutable());
      }
      case T_MAP:
      case T_OMAP: {
        const n = this.readUint();
        // Pushed, not preallocated: a holey array would make Immutable's reads of the entries slower.
        const es: [unknown, unknown][] = [];
        for (let i = 0; i < n; i++) {
          const k = this.read();
          es.push([k, this.read()]);
        }
        return (t === T_MAP ? arrayMap(es) : undefined) ?? (t === T_OMAP ? OrderedMap(es) : IMap(es));
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
    // TextDecoder refuses views of shared memory (the workers' frontier): copy those.
    const view = this.rbuf.subarray(this.rpos, this.rpos + n);
    const text = fromUtf8.decode(view.buffer instanceof ArrayBuffer ? view : view.slice());
    this.rpos += n;
    return text;
  }
}
