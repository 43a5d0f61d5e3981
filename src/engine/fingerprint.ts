// 64-bit fingerprints of Immutable.js values, as two independent 32-bit lanes.
//
// Two states that are Immutable.is-equal get the same fingerprint whatever the
// insertion order of their Maps and Sets: ordered values (List, Record) fold
// their children in order, unordered ones (Set, Map) add up per-element hashes,
// which is commutative. Every kind is tagged, so 1, "1" and <<1>> differ.
//
// Speed (docs/adr/0016-fast-fingerprints.md): a successor shares most of its
// structure with its parent, so the fingerprint of every Immutable collection
// is memoised on the object itself (as Immutable.js memoises its own 32-bit
// hashCode); only the spine that an action rebuilt is hashed again. The walk
// reads plain Lists, Maps, Sets and Records through their internal nodes
// instead of forEach and Record.get: no closure and no iterator per
// collection, no key lookup per field. Other collections (OrderedMap,
// OrderedSet, long Lists) take the public-API walk of fingerprintSlow.ts.
// A Record type's field names and its defaults' fingerprints are kept per
// type (recordShape.ts). The fingerprints are bit for bit those of the
// public-API walk (test/engine/fingerprint.test.ts compares them), so no
// count, trace or collision estimate changes.
//
// The result is left in the module-level `fpHi` / `fpLo` to avoid allocating a
// pair per call; callers read them straight after `fingerprint(v)`.
import { List, Map as IMap, Record, Set as ISet } from 'immutable';
import { KlpError } from './errors.ts';
import { finA, finB, mixA, mixB, stringLanes, strHi, strLo, TAG_BIGINT, TAG_FALSE, TAG_LIST, TAG_MAP, TAG_NUM, TAG_RECORD, TAG_SET, TAG_TRUE } from './fingerprintMix.ts';
import { slowCollection, slowHi, slowLo } from './fingerprintSlow.ts';
import { shapeOf } from './recordShape.ts';

export let fpHi = 0;
export let fpLo = 0;

interface Memo {
  __klpH?: number;
  __klpL?: number;
  /** An element's share of a Set's sum (elementShare), once computed. */
  __klpEA?: number;
  __klpEB?: number;
}

/** A plain Set's element sums (before its final mix), kept by the walk or by setSums.ts's add and remove. */
export interface SetSums {
  __klpSA?: number;
  __klpSB?: number;
}

/** Fingerprints of the strings seen so far (a state's strings are few): one lookup gives both lanes. */
const STRING_CACHE_MAX = 100_000;
const stringIndex = new Map<string, number>();
const stringHi = new Int32Array(STRING_CACHE_MAX);
const stringLo = new Int32Array(STRING_CACHE_MAX);

function hashString(s: string): void {
  const cached = stringIndex.get(s);
  if (cached !== undefined) {
    fpHi = stringHi[cached]!;
    fpLo = stringLo[cached]!;
    return;
  }
  stringLanes(s);
  fpHi = strHi;
  fpLo = strLo;
  const n = stringIndex.size;
  if (n < STRING_CACHE_MAX) {
    stringHi[n] = fpHi;
    stringLo[n] = fpLo;
    stringIndex.set(s, n);
  }
}

const f64 = new Float64Array(1);
const f64Words = new Int32Array(f64.buffer);

function hashNumber(n: number): void {
  let w0: number;
  let w1: number;
  if ((n | 0) === n) {
    w0 = n;
    w1 = 0;
  } else {
    f64[0] = n;
    w0 = f64Words[0]!;
    w1 = f64Words[1]! ^ 0x7ff00000;
  }
  fpHi = finA(mixA(mixA(TAG_NUM, w0), w1));
  fpLo = finB(mixB(mixB(~TAG_NUM, w0), w1));
}

// ---------------------------------------------------------------------------
// Immutable.js internals read by the fast walk (immutable 5.x). Each walk
// checks the shape it relies on and falls back to the public API otherwise,
// so a different Immutable version is slower, never wrong.

interface ListNode {
  readonly array: readonly unknown[];
}
export interface ListInternals {
  readonly size: number;
  readonly _origin: number;
  readonly _capacity: number;
  readonly _tail: ListNode | null | undefined;
}
type Entry = readonly [unknown, unknown];
/** ArrayMapNode / HashCollisionNode (entries), BitmapIndexedNode / HashArrayMapNode (nodes), ValueNode (entry). */
interface MapNode {
  readonly entries?: readonly Entry[];
  readonly nodes?: readonly (MapNode | undefined)[];
  readonly entry?: Entry;
}
interface MapInternals {
  readonly size: number;
  readonly _root: MapNode | undefined;
}
interface SetInternals {
  readonly _map: MapInternals;
}
interface RecordInternals {
  readonly _values: ListInternals & List<unknown>;
  readonly _defaultValues: { readonly [k: string]: unknown };
}

const LIST_PROTO: object = List.prototype;
const MAP_PROTO: object = IMap.prototype;
const SET_PROTO: object = ISet.prototype;

/** The element array of a List of at most 32 slots (all in its tail node), else undefined. */
export function smallListArray(l: ListInternals): readonly unknown[] | undefined {
  if (l._capacity > 32) return undefined;
  const tail = l._tail;
  if (tail === null || tail === undefined) return l._capacity === l._origin ? EMPTY : undefined;
  return tail.array;
}
const EMPTY: readonly unknown[] = [];

// Per-element sums of a Set or Map walk, left here by sumMapNode (read straight after).
let sumA = 0;
let sumB = 0;

/** Adds the element hashes of a Map trie node (keys only when `keysOnly`, for a Set) into sumA / sumB. */
let partA = 0;
let partB = 0;

/** One map entry's share of an unordered sum (a set's key alone, or a map's key and value), in partA/partB. */
function entryPart(e: readonly [unknown, unknown], keysOnly: boolean): void {
  if (keysOnly) {
    elementShare(e[0]);
  } else {
    entryHash(e[0], e[1]);
    partA = fpHi;
    partB = fpLo;
  }
}

function sumMapNode(node: MapNode, keysOnly: boolean): void {
  let sa = 0;
  let sb = 0;
  const entries = node.entries;
  if (entries !== undefined) {
    for (let i = 0; i < entries.length; i++) {
      entryPart(entries[i]!, keysOnly);
      sa = (sa + partA) | 0;
      sb = (sb + partB) | 0;
    }
  } else if (node.nodes !== undefined) {
    const nodes = node.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const child = nodes[i];
      if (child === undefined || child === null) continue;
      sumMapNode(child, keysOnly);
      sa = (sa + sumA) | 0;
      sb = (sb + sumB) | 0;
    }
  } else {
    entryPart(node.entry!, keysOnly);
    sa = (sa + partA) | 0;
    sb = (sb + partB) | 0;
  }
  sumA = sa;
  sumB = sb;
}

/** A Set element's share of the Set's sums, into partA / partB (also setSums.ts's, which reads them as shareA / shareB). */
export function elementShare(x: unknown): void {
  const k = x as Memo | null;
  if (typeof k === 'object' && k !== null && k.__klpEA !== undefined) {
    partA = k.__klpEA;
    partB = k.__klpEB!;
    return;
  }
  fingerprint(k);
  partA = finA(mixA(fpHi, fpLo));
  partB = finB(mixB(fpLo, fpHi));
  // An element that holds a fingerprint memo keeps its share too: sets of records add and drop one element at a
  // time. (A model value, frozen, has had both since its construction, so it returned above.)
  if (typeof k === 'object' && k !== null && k.__klpH !== undefined) {
    k.__klpEA = partA;
    k.__klpEB = partB;
  }
}
export { partA as shareA, partB as shareB };

/** The per-entry hash of a Map's k -> x, into fpHi / fpLo. */
export function entryHash(k: unknown, x: unknown): void {
  fingerprint(k);
  const ka = fpHi;
  const kb = fpLo;
  fingerprint(x);
  fpHi = finA(mixA(mixA(ka, kb), fpHi));
  fpLo = finB(mixB(mixB(kb, ka), fpLo));
}

/** Sums of a plain Map's (or a plain Set's inner Map's) entries, into sumA / sumB; false if not walkable. */
function sumMap(m: MapInternals, keysOnly: boolean): boolean {
  const root = m._root;
  if (root === undefined || root === null) {
    if (m.size !== 0) return false;
    sumA = 0;
    sumB = 0;
    return true;
  }
  if (typeof root !== 'object' || (root.entries === undefined && root.nodes === undefined && root.entry === undefined)) return false;
  sumMapNode(root, keysOnly);
  return true;
}

const isPlainMap = (m: unknown): boolean => typeof m === 'object' && m !== null && Object.getPrototypeOf(m) === MAP_PROTO;

/** `s` with its element sums kept (a decoded Set: its elements' shares are mostly known), so that setSums.ts can carry them to the Sets made from it. */
export function withSums<S extends ISet<unknown>>(s: S): S {
  if (Object.getPrototypeOf(s) === SET_PROTO) setSums(s as unknown as SetInternals & SetSums);
  return s;
}

/** A plain Set's element sums into sumA / sumB, kept on the Set; false if it cannot be walked. */
function setSums(v: SetInternals & SetSums): boolean {
  if (v.__klpSA !== undefined) {
    sumA = v.__klpSA;
    sumB = v.__klpSB!;
    return true;
  }
  if (!isPlainMap(v._map) || !sumMap(v._map, true)) return false;
  v.__klpSA = sumA;
  v.__klpSB = sumB;
  return true;
}

/** Computes the fingerprint of `v` into fpHi / fpLo. */
export function fingerprint(v: unknown): void {
  switch (typeof v) {
    case 'number':
      hashNumber(v);
      return;
    case 'string':
      hashString(v);
      return;
    case 'boolean':
      fpHi = v ? TAG_TRUE : TAG_FALSE;
      fpLo = v ? ~TAG_TRUE : ~TAG_FALSE;
      return;
    case 'bigint':
      hashString(v.toString());
      fpHi = finA(mixA(fpHi, TAG_BIGINT));
      fpLo = finB(mixB(fpLo, TAG_BIGINT));
      return;
    case 'object':
      if (v === null) throw new KlpError('KLP109', 'a state holds null, which the checker cannot store');
      break;
    default:
      throw new KlpError('KLP109', `a state holds ${v === null ? 'null' : typeof v}, which the checker cannot store`);
  }
  // The kind first, then the memo: each kind's objects have few layouts, so
  // the memo's reads and writes in each branch see few shapes; one read for
  // every kind would be megamorphic (LamportMutex: about 7% of a run).
  const proto = Object.getPrototypeOf(v) as object;
  if (proto === LIST_PROTO) {
    const memo = v as ListInternals & Memo;
    if (memo.__klpH !== undefined) {
      fpHi = memo.__klpH;
      fpLo = memo.__klpL!;
      return;
    }
    listLanes(memo);
    memo.__klpH = fpHi = finA(fpHi);
    memo.__klpL = fpLo = finB(fpLo);
    return;
  }
  if (proto === SET_PROTO) {
    const memo = v as SetInternals & SetSums & Memo;
    if (memo.__klpH !== undefined) {
      fpHi = memo.__klpH;
      fpLo = memo.__klpL!;
      return;
    }
    if (setSums(memo)) {
      const n = (v as ISet<unknown>).size;
      memo.__klpH = fpHi = finA(mixA(mixA(TAG_SET, sumA), n));
      memo.__klpL = fpLo = finB(mixB(mixB(~TAG_SET, sumB), n));
      return;
    }
  } else if (proto === MAP_PROTO) {
    const memo = v as MapInternals & Memo;
    if (memo.__klpH !== undefined) {
      fpHi = memo.__klpH;
      fpLo = memo.__klpL!;
      return;
    }
    if (sumMap(memo, false)) {
      const n = memo.size;
      memo.__klpH = fpHi = finA(mixA(mixA(TAG_MAP, sumA), n));
      memo.__klpL = fpLo = finB(mixB(mixB(~TAG_MAP, sumB), n));
      return;
    }
  }
  const memo = v as Memo;
  if (memo.__klpH !== undefined) {
    fpHi = memo.__klpH;
    fpLo = memo.__klpL!;
    return;
  }
  let a: number;
  let b: number;
  // A model value carries its fingerprint from its construction (modelValue.ts), so it returned above.
  if (Record.isRecord(v)) {
    const shape = shapeOf(v);
    const keys = shape.keys;
    a = TAG_RECORD ^ keys.length;
    b = ~TAG_RECORD;
    const r = v as unknown as RecordInternals;
    const values = r._values;
    const arr = values !== undefined && Object.getPrototypeOf(values) === LIST_PROTO && values.size === keys.length ? smallListArray(values) : undefined;
    if (arr !== undefined) {
      const origin = values._origin;
      const { defaultHi, defaultLo, defaultOk } = shape;
      for (let i = 0; i < keys.length; i++) {
        const x = arr[(origin + i) & 31];
        let hi: number;
        let lo: number;
        // Record.get: a field equal to its default is stored as undefined.
        if (x === undefined && defaultOk[i] === 1) {
          hi = defaultHi[i]!;
          lo = defaultLo[i]!;
        } else {
          fingerprint(x === undefined ? r._defaultValues[keys[i]!] : x);
          hi = fpHi;
          lo = fpLo;
        }
        a = mixA(mixA(a, hi), lo);
        b = mixB(mixB(b, lo), hi);
      }
    } else {
      for (let i = 0; i < keys.length; i++) {
        fingerprint(v.get(keys[i]!));
        a = mixA(mixA(a, fpHi), fpLo);
        b = mixB(mixB(b, fpLo), fpHi);
      }
    }
    // Distinguish Record types with equal values but different field names.
    a = mixA(a, shape.hi);
    b = mixB(b, shape.lo);
  } else {
    slowCollection(v);
    a = slowHi;
    b = slowLo;
  }
  fpHi = finA(a);
  fpLo = finB(b);
  memo.__klpH = fpHi;
  memo.__klpL = fpLo;
}

/** A plain List's lanes before the final mix, into fpHi / fpLo. */
function listLanes(l: ListInternals): void {
  let a = TAG_LIST;
  let b = ~TAG_LIST;
  const arr = smallListArray(l);
  if (arr !== undefined) {
    const origin = l._origin;
    const end = l._capacity;
    for (let i = origin; i < end; i++) {
      fingerprint(arr[i & 31]);
      a = mixA(mixA(a, fpHi), fpLo);
      b = mixB(mixB(b, fpLo), fpHi);
    }
  } else {
    const list = l as unknown as List<unknown>;
    for (let i = 0; i < l.size; i++) {
      fingerprint(list.get(i));
      a = mixA(mixA(a, fpHi), fpLo);
      b = mixB(mixB(b, fpLo), fpHi);
    }
  }
  fpHi = mixA(a, l.size);
  fpLo = mixB(b, l.size);
}
