// The values a state may hold, and the few predicates the engine needs to walk
// them. A state is an Immutable.js Record (or Map) from variable names to these
// values, so TLA+'s value kinds map one to one:
//   number / bigint  -> integers          string  -> strings / model values
//   boolean          -> BOOLEAN           List    -> sequences  <<a, b>>
//   Set              -> sets  {a, b}      Map     -> functions  (k :> v @@ ...)
//   Record           -> records [f |-> v]
//   ModelValue       -> model values r1 (src/engine/modelValue.ts)
import { List, Map as IMap, Record, Set as ISet, isImmutable } from 'immutable';
import { isModelValue, type ModelValue } from './modelValue.ts';
// Faster, cached Record hashCode/equals (same results), installed once for every spec.
import './recordFast.ts';
// A Set's fingerprint carried through add and remove (same fingerprints), installed once.
import './setSums.ts';
// Small Maps and Sets compare keys by identity and cached hash before Immutable.is (same results), installed once.
import './mapFast.ts';
// setIn, updateIn and update walk the key path directly (same results), installed once.
import './keyPathFast.ts';

/** Any value that may appear inside a state. */
export type Value =
  | number
  | bigint
  | string
  | boolean
  | ModelValue
  | List<Value>
  | ISet<Value>
  | IMap<Value, Value>
  | Record<object>;

/** A state: one Record (or Map) keyed by variable name. */
export interface StateLike {
  get(key: string): unknown;
}

export type ValueKind = 'number' | 'bigint' | 'string' | 'boolean' | 'model' | 'list' | 'set' | 'map' | 'record';

/** Classifies a value; throws on anything a state may not hold (undefined, plain objects, ...). */
export function kindOf(v: unknown): ValueKind {
  switch (typeof v) {
    case 'number':
      return 'number';
    case 'bigint':
      return 'bigint';
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    default:
      break;
  }
  if (isModelValue(v)) return 'model';
  if (Record.isRecord(v)) return 'record';
  if (isImmutable(v)) {
    if (List.isList(v)) return 'list';
    if (ISet.isSet(v)) return 'set';
    if (IMap.isMap(v)) return 'map';
  }
  throw new TypeError(`a state may not hold ${describeForeign(v)}`);
}

function describeForeign(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a plain array (use Immutable List)';
  if (typeof v === 'object') return 'a plain object (use Immutable Record or Map)';
  return `a ${typeof v}`;
}

/** The variable names of a state, in declaration order for Records, sorted for Maps. */
export function variablesOf(state: unknown): string[] {
  if (Record.isRecord(state)) return [...state.toSeq().keys()].map(String);
  if (IMap.isMap(state)) return [...(state as IMap<unknown, unknown>).keys()].map(String).sort();
  throw new TypeError('a state must be an Immutable Record or Map keyed by variable name');
}
