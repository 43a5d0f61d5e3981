// Immutable.js's internal node class the engine builds and patches: the
// ArrayMapNode at the root of every Map of at most 8 entries (and of a Set's
// inner Map). It is not exported, so it is found once from a Map Immutable
// made, and only when Maps and Sets are laid out as Immutable 5 lays them
// out; otherwise it is undefined and its users (the state codec's direct
// layout in codecShapes.ts, the key comparisons of mapFast.ts) keep to
// Immutable's public methods.
import { Map as IMap, Set as ISet } from 'immutable';

type Entry = [unknown, unknown];

/** An ArrayMapNode: its owner (a mutable Map's, else undefined) and its entries in insertion order. */
export interface ArrayMapNode {
  ownerID: unknown;
  entries: Entry[];
}

/** Immutable.js's ArrayMapNode class, as its constructor takes it. */
export type ArrayMapNodeClass = new (ownerID: unknown, entries: Entry[]) => ArrayMapNode;

/** The ArrayMapNode class, if Maps and Sets are laid out as Immutable.js 5's makeMap and makeSet lay them out. */
export const arrayMapNode = ((): ArrayMapNodeClass | undefined => {
  const m = IMap([['a', 1]]) as unknown as { _root?: { constructor: unknown } };
  const s = ISet(['a']) as unknown as { _map?: unknown };
  if (Object.getPrototypeOf(m) !== IMap.prototype || Object.keys(m).join() !== 'size,_root,__ownerID,__hash,__altered') return undefined;
  if (Object.getPrototypeOf(s) !== ISet.prototype || Object.keys(s).join() !== 'size,_map,__ownerID' || Object.getPrototypeOf(s._map) !== IMap.prototype) return undefined;
  const root = m._root;
  if (root === undefined || Object.keys(root).join() !== 'ownerID,entries' || typeof root.constructor !== 'function') return undefined;
  return root.constructor as ArrayMapNodeClass;
})();
