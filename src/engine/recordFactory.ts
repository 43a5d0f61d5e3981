// A faster Immutable.js `Record(defaults, name)` factory for specs, same records.
//
// A spec builds records from plain objects all the time (`Msg({ ins: rm, bal })`
// for every membership test of a set of records). Immutable's Record type
// constructor wraps the object in an ObjectSeq (Object.keys, concat of its
// own symbols), iterates it with a closure, and fills a mutable List through
// setSize and set: about 300 ns a record, a fifth of PaxosCommit's time.
//
// `installRecordFactory()` replaces `Record` on Immutable's CommonJS exports
// object with a factory that returns, for each record type, a constructor
// that builds the record directly (Object.create of the type's prototype, the
// field values in key order in a short List, a field equal to its default
// stored as undefined, as Immutable stores it) when given a plain object (or
// nothing), and calls Immutable's own constructor otherwise (a Map, an entry
// list, a record, the first call of a type, which lays out its prototype).
// Records get a prototype of their own just under Immutable's for the type
// (every record of the type, however built, gets that one), which holds field
// getters (`r.bal`) that read the field's slot directly where Immutable's
// look the name up again through `get`. `instanceof`, `Record.isRecord`,
// equality, hashing, `set` and the state codec see the same records, and
// `r.constructor === Type` still holds. A subclass (`class X extends Type`)
// is built by Immutable's constructor.
//
// The build and the getters are compiled per record type (`new Function`, the
// field names and slots written into the code as literals): V8 shares one set
// of inline caches between all closures made from one function, so a getter
// or a build shared by every type reads through megamorphic caches
// (LamportMutex, PaxosCommit and the livepatch mixed workload: 2-5% each).
//
// It must run before anything imports 'immutable' as an ES module: Node copies
// a CommonJS module's exports into the ES module namespace once, when the
// module is first imported. bin/klpcheck.js and bin/tsx.js import this file
// first; loaded later (plain `node --import tsx`), specs get Immutable's own
// factory: slower, the same records. So this file reaches Immutable only
// through `require`, and imports nothing that imports it.
//
// The fast path differs from Immutable's only for objects no spec passes: it
// reads the record's own fields by name (`values[k]`) where Immutable
// iterates Object.keys, so a non-enumerable own property or a getter with side
// effects would be read where Immutable skips it or reads it in another order.
// Types whose field names are also Object.prototype members (`constructor`,
// `toString`, ...) always take Immutable's constructor.
// test/engine/recordFactory.test.ts compares the records with Immutable's.
import { createRequire } from 'node:module';
import { compiledFunction } from './compiledCode.ts';
import { admitted, internable, internCounts, internedRecord, type InternTrie } from './recordIntern.ts';

interface ImmutableExports {
  Record: RecordFactoryFn & { isRecord: unknown; getDescriptiveName: unknown };
  List: ((xs?: unknown) => unknown) & { prototype: object };
  __klpFastRecord?: boolean;
}
type RecordTypeFn = ((values?: unknown) => unknown) & { prototype: RecordProto; displayName?: string };
type RecordFactoryFn = (defaults: object, name?: string) => RecordTypeFn;
interface RecordProto {
  constructor: unknown;
  _keys?: readonly string[];
  _defaultValues?: { readonly [k: string]: unknown };
}
interface TailNode {
  readonly array: unknown[];
}
type TailNodeClass = new (array: unknown[], ownerID: undefined) => TailNode;

const require = createRequire(import.meta.url);

/** Immutable's `Record` before installRecordFactory replaced it (the same function if it did not). */
export let immutableRecord: RecordFactoryFn | undefined;

/** Replaces Immutable's `Record` factory (once); false if Immutable is not laid out as expected. */
export function installRecordFactory(): boolean {
  const I = require('immutable') as ImmutableExports;
  if (I.__klpFastRecord === true) return true;
  const original = I.Record;
  immutableRecord = original;
  const listProto = I.List.prototype;
  const nodeClass = probeList(I);
  if (nodeClass === undefined || typeof original !== 'function') return false;

  /** A short List of `xs` (1 to 31 values), as Immutable's List(xs) makes it (src/engine/smallList.ts). */
  const smallList = (xs: unknown[]): unknown => {
    const list = Object.create(listProto) as { [k: string]: unknown };
    list['size'] = xs.length;
    list['_origin'] = 0;
    list['_capacity'] = xs.length;
    list['_level'] = 5;
    list['_root'] = undefined;
    list['_tail'] = new nodeClass(xs, undefined);
    list['__ownerID'] = undefined;
    list['__hash'] = undefined;
    list['__altered'] = false;
    return list;
  };

  const Record = function Record(defaults: object, name?: string): RecordTypeFn {
    const Type = original(defaults, name);
    return fastType(Type, smallList, original.prototype as unknown as { get: unknown });
  } as unknown as RecordFactoryFn & { [k: string]: unknown };
  // Statics (isRecord, getDescriptiveName) and the prototype, so `x instanceof Record` still holds.
  for (const k of Object.keys(original)) Record[k] = (original as unknown as { [k: string]: unknown })[k];
  Object.defineProperty(Record, 'prototype', { value: original.prototype });
  I.Record = Record as unknown as ImmutableExports['Record'];
  I.__klpFastRecord = true;
  return true;
}

const OBJECT_PROTO: object = Object.prototype;

/** The constructor of one record type: the direct build for plain objects, Immutable's otherwise. */
function fastType(Type: RecordTypeFn, smallList: (xs: unknown[]) => unknown, recordProto: { get: unknown }): RecordTypeFn {
  const proto = Type.prototype;
  // The records' prototype: Immutable's, under one that carries the direct field getters.
  const fastProto = Object.create(proto) as RecordProto;
  let keys: readonly string[] | undefined;
  let build: DirectBuild | undefined;
  const Fast = function Record(values?: unknown): unknown {
    if (new.target !== undefined && new.target !== Fast) {
      // A subclass (class X extends Type): Immutable's constructor on the subclass's instance.
      return Reflect.construct(Type, [values], new.target) as unknown;
    }
    const plain = values === undefined || (typeof values === 'object' && values !== null && Object.getPrototypeOf(values) === OBJECT_PROTO);
    if (build !== undefined && plain) return build(values as { readonly [k: string]: unknown } | undefined);
    const r = new (Type as unknown as new (v: unknown) => { _values: unknown })(values);
    if (r === values) return r; // already a record of this type
    if (keys === undefined) {
      keys = fastLayout(proto);
      if (keys !== undefined) {
        build = directBuild(fastProto, keys, proto._defaultValues!, smallList);
        fastGetters(fastProto, keys, recordProto);
        // The first record of the type too, now that the prototype is laid out (Immutable's constructor
        // above also checked the given object as it does for every record).
        if (plain) return build(values as { readonly [k: string]: unknown } | undefined);
      }
    }
    // The same record on the fast prototype, so that every record of the type has one prototype.
    return makeRecord(fastProto, r._values);
  } as unknown as RecordTypeFn;
  Fast.prototype = fastProto;
  fastProto.constructor = Fast;
  proto.constructor = Fast;
  if (Type.displayName !== undefined) Fast.displayName = Type.displayName;
  return Fast;
}

type DirectBuild = (values: { readonly [k: string]: unknown } | undefined) => unknown;

/**
 * The direct build of one record type's records from a plain object (or nothing), compiled for the type:
 * its field names are literals in the code (`given["bal"]`), so each read has an inline cache of its own that
 * sees one object shape per call site of the spec, and the record is laid out (Object.create of the type's
 * prototype, as Immutable's makeRecord) by code that only ever sees that type. One closure shared by every
 * type would read every type's fields through one megamorphic cache. A record whose fields all hold
 * primitives or model values is the pool's shared one (recordIntern.ts), found through the type's nested
 * Maps, one per field.
 */
function directBuild(proto: object, keys: readonly string[], defaults: { readonly [k: string]: unknown }, smallList: (xs: unknown[]) => unknown): DirectBuild {
  const n = keys.length;
  const all = keys.map((_, i) => `s${i}`).join(', ');
  const read = keys.map((k, i) => `s${i} = given[${JSON.stringify(k)}]; if (s${i} === d${i}) s${i} = undefined;`).join('\n      ');
  const walk = keys
    .slice(0, n - 1)
    .map((_, i) => `t = m.get(s${i}); if (t === undefined) { if (!stats.growing) break intern; t = new Map(); m.set(s${i}, t); } m = t;`)
    .join('\n      ');
  const source = `${keys.map((_, i) => `const d${i} = d[${i}];`).join(' ')}
  const root = new Map();
  const stats = counts();
  return function build(given) {
    let ${all};
    if (given !== undefined) {
      ${read}
    }
    let values;
    intern: if (${keys.map((_, i) => `internable(s${i})`).join(' && ')}) {
      let m = root;
      let t;
      ${walk}
      const found = m.get(s${n - 1});
      if (found !== undefined) {
        stats.found++;
        return found;
      }
      values = smallList([${all}]);
      const made = admitted(stats, m, s${n - 1}, proto, values);
      if (made !== undefined) return made;
    }
    const r = Object.create(proto);
    r.__ownerID = undefined;
    r._values = values === undefined ? smallList([${all}]) : values;
    return r;
  };`;
  const make = compiledFunction(['proto', 'd', 'smallList', 'internable', 'admitted', 'counts'], source) as
    | ((proto: object, d: readonly unknown[], smallList: (xs: unknown[]) => unknown, ...pool: [typeof internable, typeof admitted, typeof internCounts]) => DirectBuild)
    | undefined;
  const given = keys.map((k) => defaults[k]);
  if (make !== undefined) return make(proto, given, smallList, internable, admitted, internCounts);
  // No code generation from strings: the same build, one closure per type.
  const trie: InternTrie = { root: new Map(), counts: internCounts() };
  return (values) => {
    const xs = new Array<unknown>(n);
    let flat = true;
    for (let i = 0; i < n; i++) {
      const v = values === undefined ? undefined : values[keys[i]!];
      xs[i] = v === given[i] ? undefined : v;
      flat &&= internable(xs[i]);
    }
    return (flat ? internedRecord(trie, proto, xs, smallList) : undefined) ?? makeRecord(proto, smallList(xs));
  };
}

/** A record as Immutable's makeRecord lays it out. */
function makeRecord(proto: object, values: unknown): unknown {
  const r = Object.create(proto) as { __ownerID: unknown; _values: unknown };
  r.__ownerID = undefined;
  r._values = values;
  return r;
}

/**
 * Field getters (`r.bal`) that read the field's slot directly. Immutable's getter calls `this.get(name)`,
 * which looks the name's index up again; the replacement does the same as long as `get` is Record's own
 * (a subclass overriding `get` still gets its `get` called). One compiled function per field, each with
 * inline caches of its own; the slot index is a literal in its code, the name and the defaults arguments.
 */
function fastGetters(proto: object, keys: readonly string[], recordProto: { get: unknown }): void {
  const defaults = (Object.getPrototypeOf(proto) as { _defaultValues: { readonly [k: string]: unknown } })._defaultValues;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const d = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(proto), k);
    if (d === undefined || typeof d.get !== 'function') continue;
    const make = compiledFunction(['recordGet', 'k', 'defaults'], `return function get() {
      const g = this.get;
      if (g !== recordGet) return g.call(this, k);
      const values = this._values;
      let v;
      if (values._capacity <= 32) {
        const tail = values._tail;
        v = tail === null || tail === undefined ? undefined : tail.array[(values._origin + ${i}) & 31];
      } else {
        v = values.get(${i});
      }
      return v === undefined ? defaults[k] : v;
    };`) as ((recordGet: unknown, k: string, defaults: unknown) => () => unknown) | undefined;
    const get = make !== undefined ? make(recordProto.get, k, defaults) : genericGetter(i, k, defaults, recordProto);
    Object.defineProperty(proto, k, { get, set: d.set, enumerable: d.enumerable, configurable: d.configurable });
  }
}

/** The getter of field i where code generation from strings is refused: the same reads, one closure per field. */
function genericGetter(i: number, k: string, defaults: { readonly [k: string]: unknown }, recordProto: { get: unknown }): () => unknown {
  return function (this: FieldRead): unknown {
    const g = this.get;
    if (g !== recordProto.get) return g.call(this, k);
    const values = this._values;
    const tail = values._capacity <= 32 ? values._tail : undefined;
    const v = tail === undefined ? values.get(i) : tail === null ? undefined : tail.array[(values._origin + i) & 31];
    return v === undefined ? defaults[k] : v;
  };
}

interface FieldRead {
  readonly get: (k: string) => unknown;
  readonly _values: { readonly _capacity: number; readonly _origin: number; readonly _tail: TailNode | null | undefined; get(i: number): unknown };
}

/** The type's field names once Immutable laid its prototype out, if the direct build may be used for it. */
function fastLayout(proto: RecordProto): readonly string[] | undefined {
  if (!Object.prototype.hasOwnProperty.call(proto, '_keys') || !Object.prototype.hasOwnProperty.call(proto, '_defaultValues')) return undefined;
  const keys = proto._keys;
  const defaults = proto._defaultValues;
  if (!Array.isArray(keys) || typeof defaults !== 'object' || defaults === null) return undefined;
  if (keys.length === 0 || keys.length >= 32) return undefined;
  // A field name inherited by every plain object would be read from Object.prototype when not given.
  for (const k of keys) if (typeof k !== 'string' || k in OBJECT_PROTO) return undefined;
  return keys;
}

/** Immutable's List tail-node class, if a record's values List is laid out as smallList makes it. */
function probeList(I: ImmutableExports): TailNodeClass | undefined {
  const probe = I.List([7, 8]) as { [k: string]: unknown };
  const fields = 'size,_origin,_capacity,_level,_root,_tail,__ownerID,__hash,__altered';
  if (Object.getPrototypeOf(probe) !== I.List.prototype || Object.keys(probe).join() !== fields) return undefined;
  if (probe['size'] !== 2 || probe['_origin'] !== 0 || probe['_capacity'] !== 2 || probe['_level'] !== 5 || probe['_root'] !== undefined) return undefined;
  const tail = probe['_tail'] as { array?: unknown; ownerID?: unknown; constructor: unknown } | undefined;
  if (tail === undefined || Object.keys(tail).join() !== 'array,ownerID' || !Array.isArray(tail.array) || typeof tail.constructor !== 'function') return undefined;
  // A record of a throw-away type must come out as Immutable lays records out.
  const R = I.Record({ a: 1, b: 2 })({ b: 3 }) as { [k: string]: unknown };
  if (Object.keys(R).join() !== '__ownerID,_values' || Object.getPrototypeOf(R._values) !== I.List.prototype) return undefined;
  return tail.constructor as TailNodeClass;
}

installRecordFactory();
