// Immutable.js `setIn`, `updateIn` and `update` on Maps, Lists and Records,
// walked directly.
//
// A spec changes a task's field with `s.setIn(['tasks', t, 'patchState'], v)`
// and a counter with `m.update(k, (n) => n + 1)`. Immutable runs both through
// its generic updateIn: a closure per call, and at each level of the path
// isDataStructure / isImmutable checks (symbol look-ups), a functional `get`
// and `set` that check again, and a key-path coercion (the livepatch mixed
// workload: about 20% of a run; PaxosCommit's `aState.setIn`: 8%). The versions
// installed here walk the path with the collections' own `get` and `set`
// when every collection on it is a plain Map, a plain List or a Record whose
// `get` and `set` are Record's own, the path is an array, and no key is
// `__proto__` or `constructor`; they check all of that on the way down,
// before the updater runs, and otherwise call Immutable's own. What they
// return is what Immutable's returns: the same collection when the value is
// unchanged (===), else each level `set` with the level below. A missing
// intermediate level (which Immutable fills with a new Map) also goes to
// Immutable's own. test/engine/keyPathFast.test.ts compares the two on random
// paths and values.
import { List, Map as IMap, Record } from 'immutable';
import { PrototypePatches } from './prototypePatches.ts';

interface Keyed {
  get(k: unknown, notSetValue: unknown): unknown;
  set(k: unknown, v: unknown): unknown;
}
type SetIn = (this: unknown, keyPath: unknown, v: unknown) => unknown;
type UpdateIn = (this: unknown, keyPath: unknown, notSetValue: unknown, updater?: unknown) => unknown;
type Update = (this: unknown, key: unknown, notSetValue?: unknown, updater?: unknown) => unknown;

const MAP_PROTO: object = IMap.prototype;
const LIST_PROTO: object = List.prototype;
const RECORD_PROTO = Record.prototype as unknown as { get: unknown; set: unknown; setIn: SetIn; updateIn: UpdateIn; update: Update };

/** Not found (a get's notSetValue), and "take Immutable's own" from the walk. */
const ABSENT = Symbol('absent');

/** True for a collection whose get and set this walk may call as Immutable's updateIn would. */
function walkable(x: unknown): x is Keyed {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x) as object;
  if (proto === MAP_PROTO || proto === LIST_PROTO) return true;
  const r = x as { get?: unknown; set?: unknown };
  return Record.isRecord(x) && r.get === RECORD_PROTO.get && r.set === RECORD_PROTO.set;
}

const isProtoKey = (k: unknown): boolean => k === '__proto__' || k === 'constructor';

/**
 * The collections along `path` from `root` down to the one holding the last key, or undefined when the walk
 * is not Immutable's (a collection of another kind, a missing level, a prototype key).
 */
function descend(root: unknown, path: readonly unknown[]): Keyed[] | undefined {
  const n = path.length;
  if (n === 0) return undefined;
  const levels = new Array<Keyed>(n);
  let node = root;
  for (let i = 0; i < n; i++) {
    const key = path[i];
    if (!walkable(node) || isProtoKey(key)) return undefined;
    levels[i] = node;
    if (i < n - 1) {
      node = node.get(key, ABSENT);
      if (node === ABSENT) return undefined;
    }
  }
  return levels;
}

/** Each level set with the level below, from the last key up; a level unchanged (===) leaves its parent as it is. */
function ascend(levels: readonly Keyed[], path: readonly unknown[], value: unknown): unknown {
  let updated = value;
  for (let i = levels.length - 1; i >= 0; i--) {
    const node = levels[i]!;
    const key = path[i];
    const before = i === levels.length - 1 ? node.get(key, ABSENT) : levels[i + 1];
    updated = before === updated ? node : node.set(key, updated);
  }
  return updated;
}

function install(): void {
  const protos = [MAP_PROTO, LIST_PROTO, RECORD_PROTO] as unknown as { setIn: SetIn; updateIn: UpdateIn; update: Update }[];
  for (const proto of protos) {
    const ownSetIn = proto.setIn;
    const ownUpdateIn = proto.updateIn;
    const ownUpdate = proto.update;
    if (typeof ownSetIn !== 'function' || typeof ownUpdateIn !== 'function' || typeof ownUpdate !== 'function') continue;
    replace(proto, 'setIn', function setIn(this: unknown, keyPath: unknown, v: unknown): unknown {
      const levels = Array.isArray(keyPath) ? descend(this, keyPath) : undefined;
      return levels === undefined ? ownSetIn.call(this, keyPath, v) : ascend(levels, keyPath as unknown[], v);
    });
    replace(proto, 'updateIn', function updateIn(this: unknown, keyPath: unknown, notSetValue: unknown, updater?: unknown): unknown {
      const levels = Array.isArray(keyPath) && typeof (updater || notSetValue) === 'function' ? descend(this, keyPath) : undefined;
      if (levels === undefined) return arguments.length < 3 ? ownUpdateIn.call(this, keyPath, notSetValue) : ownUpdateIn.call(this, keyPath, notSetValue, updater);
      return updateLast(levels, keyPath as unknown[], notSetValue, updater);
    });
    replace(proto, 'update', function update(this: unknown, key: unknown, notSetValue?: unknown, updater?: unknown): unknown {
      if (arguments.length === 1) return (key as (c: unknown) => unknown)(this);
      const levels = typeof (updater || notSetValue) === 'function' ? descend(this, [key]) : undefined;
      if (levels === undefined) return arguments.length < 3 ? ownUpdate.call(this, key, notSetValue) : ownUpdate.call(this, key, notSetValue, updater);
      return updateLast(levels, [key], notSetValue, updater);
    });
  }
}

/** updateIn once the walk is known to be Immutable's: the updater gets the value (or notSetValue) at the path's end. */
function updateLast(levels: readonly Keyed[], path: readonly unknown[], notSetValue: unknown, updater: unknown): unknown {
  // As Immutable: with two arguments the second is the updater.
  let f = updater as ((x: unknown) => unknown) | undefined;
  let missing = notSetValue;
  if (!f) {
    f = notSetValue as (x: unknown) => unknown;
    missing = undefined;
  }
  const last = levels[levels.length - 1]!;
  const current = last.get(path[path.length - 1], ABSENT);
  const existing = current === ABSENT ? missing : current;
  const next = f(existing);
  if (next === existing) return levels[0];
  return ascend(levels, path, next);
}

const patches = new PrototypePatches();
const replace = (proto: object, name: string, ours: unknown): void => patches.replace(proto, name, ours);

/** Runs `f` with Immutable's own setIn, updateIn and update back in place (tests compare the two). */
export const withImmutableOwnKeyPaths = <T>(f: () => T): T => patches.withOwn(f);

/** How many methods are replaced (9: three on each of Map, List and Record). */
export const keyPathMethodsReplaced = (): number => patches.size;

install();
