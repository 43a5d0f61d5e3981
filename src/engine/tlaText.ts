// Values written in TLA+ syntax, and the one total order on values that every
// rendering uses (so sets and function domains print the same way every run,
// whatever the insertion order of the Immutable collections behind them).
//   records [a |-> 1]   sequences <<1, 2>>   sets {1, 2}   functions (x :> 1 @@ y :> 2)
//   model values r1 (bare, as TLC prints them)
// The order is TLC's where TLC has one: model values by name and before every
// other value (ModelValue.compareTo), strings by UTF-16 code units
// (StringValue.compareTo), sets by size and then element by element in their
// own sorted order (SetEnumValue.compareTo), so {{c}, {a, b}} prints as TLC does.
import type { List, Map as IMap, Record, Set as ISet } from 'immutable';
import { kindOf, type Value, type ValueKind } from './value.ts';
import type { ModelValue } from './modelValue.ts';

const KIND_RANK: { readonly [k in ValueKind]: number } = {
  model: -1,
  boolean: 0,
  number: 1,
  bigint: 1,
  string: 2,
  list: 3,
  set: 4,
  map: 5,
  record: 6,
};

/** A total order on values: by kind, then numerically / lexically / by text. */
export function compareValues(a: unknown, b: unknown): number {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (KIND_RANK[ka] !== KIND_RANK[kb]) return KIND_RANK[ka] - KIND_RANK[kb];
  switch (ka) {
    case 'boolean':
      return Number(a) - Number(b);
    case 'number':
    case 'bigint': {
      const x = a as number | bigint;
      const y = b as number | bigint;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'string':
      return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
    case 'model': {
      const x = (a as ModelValue).name;
      const y = (b as ModelValue).name;
      return x === y ? 0 : x < y ? -1 : 1;
    }
    case 'set': {
      const x = a as ISet<unknown>;
      const y = b as ISet<unknown>;
      if (x.size !== y.size) return x.size - y.size;
      const xs = sortedElements(x);
      const ys = sortedElements(y);
      for (let i = 0; i < xs.length; i++) {
        const c = compareValues(xs[i], ys[i]);
        if (c !== 0) return c;
      }
      return 0;
    }
    default: {
      const x = formatValue(a);
      const y = formatValue(b);
      return x === y ? 0 : x < y ? -1 : 1;
    }
  }
}

/** Sorts a set's elements in the canonical order. */
export function sortedElements(s: ISet<unknown>): unknown[] {
  return [...s].sort(compareValues);
}

/** Sorts a function's entries by key in the canonical order. */
export function sortedEntries(m: IMap<unknown, unknown>): [unknown, unknown][] {
  return [...m.entries()].sort((x, y) => compareValues(x[0], y[0]));
}

/** The fields of a record, in declaration order. */
export function recordFields(r: Record<object>): [string, unknown][] {
  return [...r.toSeq().entries()].map(([k, v]) => [String(k), v]);
}

/** A value in TLA+ syntax, as TLC prints it. */
export function formatValue(v: unknown): string {
  switch (kindOf(v)) {
    case 'boolean':
      return v ? 'TRUE' : 'FALSE';
    case 'number':
    case 'bigint':
      return String(v);
    case 'string':
      return JSON.stringify(v);
    case 'model':
      return (v as ModelValue).name;
    case 'list':
      return `<<${[...(v as List<Value>)].map(formatValue).join(', ')}>>`;
    case 'set':
      return `{${sortedElements(v as ISet<unknown>).map(formatValue).join(', ')}}`;
    case 'map': {
      const entries = sortedEntries(v as IMap<unknown, unknown>);
      if (entries.length === 0) return '<<>>';
      return `(${entries.map(([k, x]) => `${formatValue(k)} :> ${formatValue(x)}`).join(' @@ ')})`;
    }
    case 'record':
      return `[${recordFields(v as Record<object>).map(([k, x]) => `${k} |-> ${formatValue(x)}`).join(', ')}]`;
  }
}
