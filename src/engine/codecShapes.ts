// How the state codec rebuilds Immutable.js values exactly as they were:
// a Record from its field values without the constructor's detour, a small
// Map or Set laid out directly (its keys are known to be distinct), and a Map
// or Set that Immutable.js keeps as a hash trie (not as the insertion-ordered
// array of a small Map) in the same iteration order. Split from stateCodec.ts,
// which owns the byte format; and what names a Record class to a codec of
// another thread (recordSignature).
import { type List, Map as IMap, Record, Set as ISet } from 'immutable';
import { arrayMapNode } from './immutableNodes.ts';
import { smallList } from './smallList.ts';

/** Immutable.js's MAX_ARRAY_MAP_SIZE: larger Maps are always hash tries. */
const ARRAY_MAP_MAX = 8;

export type RecordFactory = Record.Factory<object>;
export type AnyMap = IMap<unknown, unknown>;
export type AnySet = ISet<unknown>;

/** The internals read to tell an array-backed small Map from a hash trie. */
interface MapInternals {
  _root?: { entries?: unknown; keyHash?: unknown };
}

/** What a Record instance holds (Immutable.js's own makeRecord builds one the same way). */
export interface RecordInternals {
  _defaultValues: { readonly [k: string]: unknown };
  _values: List<unknown>;
  __ownerID: undefined;
}

/**
 * A Record of class `ctor` from its field values in key order, a value equal
 * to the field's default given as undefined, exactly as the constructor stores
 * them; without the constructor's detour through a keyed Seq of an object.
 */
export function makeRecord(ctor: RecordFactory, values: unknown[]): unknown {
  const r = Object.create(ctor.prototype as object) as RecordInternals;
  r._values = smallList(values);
  r.__ownerID = undefined;
  return r;
}

const MAP_PROTO: object = IMap.prototype;
const SET_PROTO: object = ISet.prototype;

/**
 * A plain Map of 1 to 8 entries, as Immutable.js lays it out (an ArrayMapNode of the entries in their
 * order), from entries that are known to have distinct keys (they were a Map's); undefined where the layout
 * is not the expected one. Immutable's own `set` compares each key with every one before it (Immutable.is:
 * for records of several types, a call chain each), so decoding a Set of 8 messages cost 28 comparisons.
 */
export function arrayMap(entries: [unknown, unknown][]): AnyMap | undefined {
  if (arrayMapNode === undefined || entries.length === 0 || entries.length > ARRAY_MAP_MAX) return undefined;
  const m = Object.create(MAP_PROTO) as { size: number; _root: object; __ownerID: undefined; __hash: undefined; __altered: boolean };
  m.size = entries.length;
  m._root = new arrayMapNode(undefined, entries);
  m.__ownerID = undefined;
  m.__hash = undefined;
  m.__altered = false;
  return m as unknown as AnyMap;
}

/** A plain Set of 1 to 8 distinct elements, in their order, as Immutable.js lays it out (a Map of each to itself). */
export function arraySet(elements: readonly unknown[]): AnySet | undefined {
  const map = arrayMap(elements.map((x) => [x, x]));
  if (map === undefined) return undefined;
  const s = Object.create(SET_PROTO) as { size: number; _map: AnyMap; __ownerID: undefined };
  s.size = map.size;
  s._map = map;
  s.__ownerID = undefined;
  return s as unknown as AnySet;
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
export function isTrie(m: AnyMap): boolean {
  const root = (m as unknown as MapInternals)._root;
  return root !== undefined && !(root.entries !== undefined && root.keyHash === undefined);
}

/**
 * A hash trie whose iteration order is that of `keys`. Plain insertion would
 * not do: entries whose 32-bit hashes collide keep their insertion order, but
 * the switch from array to trie at the 9th entry puts that entry first. So the
 * trie is made first (9 pads, all but one removed), then the keys go in, then
 * the last pad goes; the order is verified (identity of keys, cheap). With
 * more than 8 keys plain insertion is tried first: the 9th key makes the Map a
 * trie, whose order is its keys' hash order unless two hashes collide.
 */
export function trie<M extends AnyMap | AnySet>(empty: () => M, keys: readonly unknown[], values: readonly unknown[] | undefined): M {
  const put = (m: M, k: unknown, v: unknown): void => {
    if (values === undefined) (m as AnySet).add(k);
    else (m as AnyMap).set(k, v);
  };
  const inOrder = (m: M): boolean => {
    let i = 0;
    let same = true;
    (m as AnyMap).forEach((_v, k) => {
      if (!Object.is(k, keys[i++])) same = false;
    });
    return same;
  };
  if (keys.length > ARRAY_MAP_MAX) {
    // Past 8 entries plain insertion makes a trie; only keys whose 32-bit hashes collide can come out of order.
    const m = empty();
    for (let i = 0; i < keys.length; i++) put(m, keys[i], values?.[i]);
    if (inOrder(m)) return m;
  }
  for (const pads of PADS) {
    const m = empty();
    for (const p of pads) put(m, p, true);
    for (let i = 1; i < pads.length; i++) m.delete(pads[i]);
    for (let i = 0; i < keys.length; i++) put(m, keys[i], values?.[i]);
    m.delete(pads[0]);
    if (inOrder(m)) return m;
  }
  throw new Error('internal: state codec could not rebuild a hash map in its order');
}

/** Ids another codec made, as `takeEntries` lists them. */
export interface CodecEntries {
  readonly strings: readonly { readonly id: number; readonly text: string }[];
  readonly records: readonly { readonly id: number; readonly signature: string }[];
  /** Shared records (src/engine/valueTable.ts), each as its bytes. */
  readonly values: readonly { readonly id: number; readonly bytes: Uint8Array }[];
}

/** What tells a Record class apart in another thread: its name and its keys in order. */
export function recordSignature(ctor: unknown): string {
  const proto = (ctor as { prototype: { _name?: string; _keys?: readonly string[] } }).prototype;
  return `${proto._name ?? ''}\u0000${(proto._keys ?? []).join('\u0001')}`;
}
