// Constants as a TLC .cfg has them: the values a spec declares as defaults and
// `--const NAME=VALUE` overrides, their deep type check, and their canonical
// form. A default is also the constant's type declaration: an override must have
// the same shape all the way down (a set of strings, a set of sets of model
// values, a record with the same fields), or binding fails with KLP106 naming
// the path inside the value, what was expected there and what was given.
//
// Representation (docs/spec-api.md, "Constants"):
//   integers  number          strings   string          BOOLEAN  boolean
//   model values  ModelValue (modelValue('r1'), printed bare as TLC does)
//   sets      readonly arrays, nested for sets of sets
//   records   plain objects { field: value }
// Sets are sets: after binding every array is deduplicated and sorted in TLC's
// order (src/engine/tlaText.ts), defaults included, so RM = {r1, r1} is {r1}
// and {r2, r1} enumerates r1 first, as TLC's normalised SetEnumValue does.
import { KlpError } from './errors.ts';
import { isModelValue, type ModelValue } from './modelValue.ts';

/** A constant's value, as a TLC .cfg would give it. */
export type ConstantValue = number | string | boolean | ModelValue | readonly ConstantValue[] | ConstantRecord;
/** A record constant, [f |-> v, ...] in TLA+. */
export interface ConstantRecord {
  readonly [field: string]: ConstantValue;
}
export type Constants = { readonly [name: string]: ConstantValue };

/** The shape a default declares, checked deeply against an override. */
export type ConstantType =
  | { readonly kind: 'integer' | 'string' | 'boolean' | 'model value' }
  /** `elements` empty: the default is the empty set, any set is accepted. */
  | { readonly kind: 'set'; readonly elements: readonly ConstantType[] }
  | { readonly kind: 'record'; readonly fields: { readonly [field: string]: ConstantType } };

type ValueKind = 'integer' | 'string' | 'boolean' | 'model value' | 'set' | 'record';

function kindOfConstant(v: unknown): ValueKind | undefined {
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) ? 'integer' : undefined;
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'object':
      if (v === null) return undefined;
      if (isModelValue(v)) return 'model value';
      if (Array.isArray(v)) return 'set';
      if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) return 'record';
      return undefined;
    default:
      return undefined;
  }
}

/** The type a (default) value declares; throws KLP104 when it is no constant value at all. */
export function typeOfConstant(v: unknown, path: string, specName: string, constName: string): ConstantType {
  const kind = kindOfConstant(v);
  switch (kind) {
    case undefined:
      throw new KlpError('KLP104', `the default of constant ${constName} of spec ${specName} holds ${describeForeign(v)} at ${path}`, {
        hints: ['constants are integers, strings, booleans, model values (modelValue), arrays (sets) and plain objects (records)'],
      });
    case 'set': {
      const elements: ConstantType[] = [];
      (v as readonly unknown[]).forEach((x, i) => {
        const t = typeOfConstant(x, `${path}[${i + 1}]`, specName, constName);
        if (!elements.some((e) => sameType(e, t))) elements.push(t);
      });
      return { kind, elements };
    }
    case 'record': {
      const fields: { [f: string]: ConstantType } = {};
      for (const [f, x] of Object.entries(v as ConstantRecord)) fields[f] = typeOfConstant(x, `${path}.${f}`, specName, constName);
      return { kind, fields };
    }
    default:
      return { kind };
  }
}

function sameType(a: ConstantType, b: ConstantType): boolean {
  return describeType(a) === describeType(b);
}

/** "a set of sets of strings", "an integer", "a record [a: an integer]". */
export function describeType(t: ConstantType): string {
  switch (t.kind) {
    case 'integer':
      return 'an integer';
    case 'set':
      if (t.elements.length === 0) return 'a set';
      return `a set of ${t.elements.map((e) => plural(describeType(e))).join(' or ')}`;
    case 'record':
      return `a record [${Object.entries(t.fields).map(([f, x]) => `${f}: ${describeType(x)}`).join(', ')}]`;
    default:
      return `a ${t.kind}`;
  }
}

function plural(d: string): string {
  const bare = d.replace(/^an? /, '');
  if (bare.startsWith('set')) return bare.replace(/^set/, 'sets');
  if (bare.startsWith('record')) return bare.replace(/^record/, 'records');
  return `${bare}s`;
}

/** What was given, for a message: "the integer 3", "the set {a, b}". */
function describeGiven(v: ConstantValue): string {
  const kind = kindOfConstant(v)!;
  return `${kind === 'integer' ? 'the integer' : `the ${kind}`} ${formatConstant(v)}`;
}

function describeForeign(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'number') return `the non-integer ${v}`;
  if (typeof v === 'object') return `an object of class ${(v as object).constructor?.name ?? 'unknown'}`;
  return `a ${typeof v}`;
}

/**
 * Checks `given` against `expected` all the way down and returns its canonical
 * form. A bare name (a model value, as a .cfg writes it) where the default
 * holds a string is read as that string: `RM={r1, r2}` overrides a spec that
 * models RM as strings.
 */
export function conform(given: ConstantValue, expected: ConstantType, path: string, fail: (path: string, expected: string, given: string) => never): ConstantValue {
  const kind = kindOfConstant(given);
  if (kind === undefined) return fail(path, describeType(expected), describeForeign(given));
  if (expected.kind === 'string' && kind === 'model value') return (given as ModelValue).name;
  if (expected.kind !== kind) return fail(path, describeType(expected), describeGiven(given));
  switch (expected.kind) {
    case 'set': {
      const items = given as readonly ConstantValue[];
      const out = items.map((x, i) => {
        const at = `${path}[${i + 1}]`;
        if (expected.elements.length === 0) return canonical(x, at, fail);
        return conformToOneOf(x, expected.elements, at, fail);
      });
      return canonicalSet(out);
    }
    case 'record': {
      const rec = given as ConstantRecord;
      const want = Object.keys(expected.fields);
      const have = Object.keys(rec);
      const missing = want.filter((f) => !have.includes(f));
      const extra = have.filter((f) => !want.includes(f));
      if (missing.length > 0 || extra.length > 0) {
        const what = [missing.length > 0 ? `no field ${missing.join(', ')}` : '', extra.length > 0 ? `an unknown field ${extra.join(', ')}` : ''].filter((x) => x !== '').join(' and ');
        return fail(path, describeType(expected), `${describeGiven(given)}, with ${what}`);
      }
      const out: { [f: string]: ConstantValue } = {};
      for (const f of want) out[f] = conform(rec[f]!, expected.fields[f]!, `${path}.${f}`, fail);
      return Object.freeze(out);
    }
    default:
      return given;
  }
}

function conformToOneOf(x: ConstantValue, types: readonly ConstantType[], at: string, fail: (path: string, expected: string, given: string) => never): ConstantValue {
  if (types.length === 1) return conform(x, types[0]!, at, fail);
  // A default set mixing element shapes (say {{1}, {"a"}}): the element must fit one of them.
  const kind = kindOfConstant(x);
  const candidates = types.filter((t) => t.kind === kind || (kind === 'model value' && t.kind === 'string'));
  if (candidates.length === 0) return fail(at, types.map(describeType).join(' or '), kind === undefined ? describeForeign(x) : describeGiven(x));
  let first: unknown;
  for (const t of candidates) {
    try {
      return conform(x, t, at, (path, expected, given) => {
        throw new Mismatch(path, expected, given);
      });
    } catch (e) {
      if (!(e instanceof Mismatch)) throw e;
      first ??= e;
    }
  }
  const m = first as Mismatch;
  return fail(m.path, m.expected, m.given);
}

/** A mismatch inside one of several candidate types, reported if none fits. */
class Mismatch {
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly given: string,
  ) {}
}

/** The canonical form of a value with no declared type to follow (elements of an empty default set). */
function canonical(v: ConstantValue, path: string, fail: (path: string, expected: string, given: string) => never): ConstantValue {
  const kind = kindOfConstant(v);
  if (kind === undefined) return fail(path, 'a constant value', describeForeign(v));
  if (kind === 'set') return canonicalSet((v as readonly ConstantValue[]).map((x, i) => canonical(x, `${path}[${i + 1}]`, fail)));
  if (kind === 'record') {
    const out: { [f: string]: ConstantValue } = {};
    for (const [f, x] of Object.entries(v as ConstantRecord)) out[f] = canonical(x, `${path}.${f}`, fail);
    return Object.freeze(out);
  }
  return v;
}

/** Sorted in TLC's order, duplicates dropped, frozen. */
function canonicalSet(items: readonly ConstantValue[]): readonly ConstantValue[] {
  const sorted = [...items].sort(compareConstants);
  const out = sorted.filter((x, i) => i === 0 || compareConstants(sorted[i - 1]!, x) !== 0);
  return Object.freeze(out);
}

const RANK: { readonly [k in ValueKind]: number } = { 'model value': 0, boolean: 1, integer: 2, string: 3, set: 4, record: 5 };

/**
 * TLC's order on constant values: model values first, by name; integers
 * numerically; strings by UTF-16 code units; sets by size, then element by
 * element; records by field names, then values (RecordValue.compareTo).
 */
export function compareConstants(a: ConstantValue, b: ConstantValue): number {
  const ka = kindOfConstant(a)!;
  const kb = kindOfConstant(b)!;
  if (ka !== kb) return RANK[ka] - RANK[kb];
  switch (ka) {
    case 'model value':
      return cmp((a as ModelValue).name, (b as ModelValue).name);
    case 'boolean':
      return Number(a) - Number(b);
    case 'integer':
      return (a as number) - (b as number);
    case 'string':
      return cmp(a as string, b as string);
    case 'set': {
      const x = [...(a as readonly ConstantValue[])].sort(compareConstants);
      const y = [...(b as readonly ConstantValue[])].sort(compareConstants);
      if (x.length !== y.length) return x.length - y.length;
      for (let i = 0; i < x.length; i++) {
        const c = compareConstants(x[i]!, y[i]!);
        if (c !== 0) return c;
      }
      return 0;
    }
    case 'record': {
      const x = Object.keys(a as ConstantRecord).sort();
      const y = Object.keys(b as ConstantRecord).sort();
      if (x.length !== y.length) return x.length - y.length;
      for (let i = 0; i < x.length; i++) {
        const c = cmp(x[i]!, y[i]!);
        if (c !== 0) return c;
      }
      for (const f of x) {
        const c = compareConstants((a as ConstantRecord)[f]!, (b as ConstantRecord)[f]!);
        if (c !== 0) return c;
      }
      return 0;
    }
  }
}

function cmp(x: string, y: string): number {
  return x === y ? 0 : x < y ? -1 : 1;
}

/** A constant in TLA+ syntax, as TLC prints it: {r1, r2}, {{"a"}, {"b", "c"}}, [a |-> 1]. */
export function formatConstant(v: ConstantValue): string {
  switch (kindOfConstant(v)) {
    case 'model value':
      return (v as ModelValue).name;
    case 'boolean':
      return v ? 'TRUE' : 'FALSE';
    case 'integer':
      return String(v);
    case 'string':
      return JSON.stringify(v);
    case 'set':
      return `{${[...(v as readonly ConstantValue[])].sort(compareConstants).map(formatConstant).join(', ')}}`;
    case 'record':
      return `[${Object.entries(v as ConstantRecord).map(([f, x]) => `${f} |-> ${formatConstant(x)}`).join(', ')}]`;
    default:
      return String(v);
  }
}

/**
 * Binds a spec's constants: its defaults, canonical, overridden by `overrides`
 * after a deep type check against the defaults. KLP105 for an unknown name,
 * KLP106 for a value of the wrong shape, KLP104 for a default that is no value.
 */
export function bindConstants(
  specName: string,
  defaults: Constants,
  overrides: { readonly [name: string]: ConstantValue },
): { [name: string]: ConstantValue } {
  const types = new Map<string, ConstantType>();
  const bound: { [name: string]: ConstantValue } = {};
  for (const [name, value] of Object.entries(defaults)) {
    const type = typeOfConstant(value, name, specName, name);
    types.set(name, type);
    bound[name] = conform(value, type, name, (path, expected, given) => {
      throw new KlpError('KLP104', `the default of constant ${name} of spec ${specName} holds ${given} at ${path}, expected ${expected}`);
    });
  }
  for (const [name, value] of Object.entries(overrides)) {
    const type = types.get(name);
    if (type === undefined) {
      const known = Object.keys(defaults);
      throw new KlpError('KLP105', `spec ${specName} has no constant ${name}`, {
        hints: [known.length === 0 ? 'it declares no constants' : `its constants are: ${known.join(', ')}`],
      });
    }
    bound[name] = conform(value, type, name, (path, expected, given) => {
      const where = path === name ? '' : ` at ${path}`;
      const whole = path === name ? '' : ` (${name} takes ${describeType(type)})`;
      throw new KlpError('KLP106', `constant ${name} of spec ${specName}${where}: expected ${expected}, got ${given}${whole}`);
    });
  }
  return bound;
}
