// Immutable.js Map and Set look-ups and updates of small Maps, keys compared
// by identity and by cached hash before Immutable.is.
//
// A Map of at most 8 entries (and a Set of at most 8 elements, a Map inside)
// is an ArrayMapNode: get, has, set and add compare the key with each entry's
// key through Immutable.is until one matches. Immutable.is on two distinct
// objects calls valueOf on both, asks both for equals and hashCode, and calls
// equals: for a model value (a Map keyed by RM or Proc) or a record (a Set of
// messages), several megamorphic calls per entry, where most entries differ.
// The versions installed here compare first by identity (a model value is
// interned; a record read from a state is often the one object stored), then
// skip an entry whose cached Immutable hash (records and model values carry
// it: recordFast.ts, modelValue.ts) differs from the key's, and only then call
// Immutable.is. A record key without a cached hash (a probe record built for
// `msgs.has(...)`, a message being sent) is hashed first when there are at
// least two entries to compare: once, then cached on it (recordFast.ts). Same results: two keys Immutable.is calls equal hash alike
// (Immutable's own contract, which its tries rely on), and a Map's keys are
// pairwise unequal, so the identical entry is the one Immutable.is finds. A
// ValueNode (a leaf of a larger Map's trie) is skipped when its stored key
// hash is not the key's. ArrayMapNode.update is Immutable's algorithm with
// that comparison; growing past 8 entries goes to Immutable's own.
// test/engine/mapFast.test.ts compares every operation with Immutable's own.
import { is, Map as IMap } from 'immutable';
import { type ArrayMapNode, arrayMapNode } from './immutableNodes.ts';
import { PrototypePatches } from './prototypePatches.ts';

type Entry = [unknown, unknown];
interface Ref {
  value: boolean;
}
type Update = (this: ArrayMapNode, ownerID: unknown, shift: number, keyHash: number | undefined, key: unknown, value: unknown, didChangeSize: Ref | undefined, didAlter: Ref | undefined) => unknown;

/** The cached Immutable hash of a record or a model value, or undefined. */
const cachedHash = (x: object): number | undefined => (x as { __klpIH?: number }).__klpIH;

/** Immutable.is(key, k) for key and k already found not ===, `kh` the key's cached hash (if an object with one). */
function sameKey(key: unknown, kh: number | undefined, k: unknown): boolean {
  const kt = typeof k;
  if (typeof key !== 'object' || key === null) {
    // Two primitives: Immutable.is is === or both NaN.
    if (typeof key !== 'function' && kt !== 'object' && kt !== 'function') return key !== key && k !== k;
    return is(key, k);
  }
  if (kh !== undefined && kt === 'object' && k !== null) {
    const h = cachedHash(k as object);
    if (h !== undefined && h !== kh) return false;
  }
  return is(key, k);
}

/** Index of `key` among the entries, -1 if absent. */
function indexOf(entries: readonly Entry[], key: unknown): number {
  const n = entries.length;
  for (let i = 0; i < n; i++) if (entries[i]![0] === key) return i;
  let kh: number | undefined;
  if (typeof key === 'object' && key !== null) {
    kh = cachedHash(key);
    if (kh === undefined && n > 1 && (key as { __klpKH?: unknown }).__klpKH !== undefined) kh = (key as { hashCode(): number }).hashCode();
  }
  for (let i = 0; i < n; i++) if (sameKey(key, kh, entries[i]![0])) return i;
  return -1;
}

/** Immutable's internal NOT_SET (the value `remove` updates with, the default `has` reads with), if found. */
function notSetSentinel(): unknown {
  let found: unknown;
  (IMap.prototype as unknown as { has(this: unknown, k: unknown): boolean }).has.call({ get: (_k: unknown, d: unknown) => (found = d) }, 0);
  return found;
}

const patches = new PrototypePatches();
const replace = (proto: object, name: string, ours: unknown): void => patches.replace(proto, name, ours);

/** Runs `f` with Immutable's own methods back in place (tests compare the two). */
export const withImmutableOwnMapNodes = <T>(f: () => T): T => patches.withOwn(f);

/** How many methods are replaced (3 where Immutable lays Maps out as expected). */
export const mapNodeMethodsReplaced = (): number => patches.size;

function install(): void {
  const ArrayMapNode = arrayMapNode;
  if (ArrayMapNode === undefined) return;
  const proto = ArrayMapNode.prototype as unknown as { get: unknown; update: Update };
  const original = proto.update;
  const NOT_SET = notSetSentinel();
  // Only where Maps are laid out as Immutable 5 lays them out: the removal's value is the sentinel found.
  let seen: unknown = null;
  proto.update = function (this: ArrayMapNode, ...args: Parameters<Update>): unknown {
    seen = args[4];
    return original.apply(this, args);
  };
  try {
    (IMap([[1, 1]]) as unknown as { remove(k: unknown): unknown }).remove(1);
  } finally {
    proto.update = original;
  }
  if (typeof NOT_SET !== 'object' || NOT_SET === null || seen !== NOT_SET) return;

  replace(proto, 'get', function get(this: ArrayMapNode, _shift: number, _keyHash: number | undefined, key: unknown, notSetValue: unknown): unknown {
    const entries = this.entries;
    const i = indexOf(entries, key);
    return i < 0 ? notSetValue : entries[i]![1];
  });

  const update: Update = function (ownerID, shift, keyHash, key, value, didChangeSize, didAlter): unknown {
    const entries = this.entries;
    const len = entries.length;
    const idx = indexOf(entries, key);
    const removed = value === NOT_SET;
    // A ninth entry: Immutable turns the node into a trie.
    if (idx < 0 && !removed && len >= 8) return original.call(this, ownerID, shift, keyHash, key, value, didChangeSize, didAlter);
    if (idx >= 0 ? entries[idx]![1] === value : removed) return this;
    if (didAlter) didAlter.value = true;
    if ((removed || idx < 0) && didChangeSize) didChangeSize.value = true;
    if (removed && len === 1) return undefined;
    const editable = ownerID !== undefined && ownerID !== null && ownerID === this.ownerID;
    const next = editable ? entries : entries.slice();
    if (idx < 0) next.push([key, value]);
    else if (!removed) next[idx] = [key, value];
    else if (idx === len - 1) next.pop();
    else next[idx] = next.pop()!;
    if (editable) {
      this.entries = next;
      return this;
    }
    return new ArrayMapNode(ownerID, next);
  };
  replace(proto, 'update', update);

  // ValueNode: a leaf of a larger Map's trie, holding one entry and its key's hash.
  const big = IMap(Array.from({ length: 20 }, (_, i) => [i, i])) as unknown as { _root: { nodes?: unknown[] } };
  const leaf = big._root.nodes?.find((n) => typeof n === 'object' && n !== null && 'entry' in n && 'keyHash' in n);
  if (leaf === undefined) return;
  replace(Object.getPrototypeOf(leaf) as object, 'get', function get(this: { entry: Entry; keyHash: number }, _shift: number, keyHash: number | undefined, key: unknown, notSetValue: unknown): unknown {
    const e = this.entry;
    const k = e[0];
    if (k === key) return e[1];
    if (keyHash !== undefined && keyHash !== this.keyHash) return notSetValue;
    return is(key, k) ? e[1] : notSetValue;
  });
}

install();
