// TLC's model values: `CONSTANT r1 = r1` or `RM = {r1, r2}` in a .cfg, where r1
// is a value equal only to itself, printed bare (r1, not "r1"). klpcheck
// represents one as an interned, frozen ModelValue object made by
// modelValue('r1'): one object per name, so `===`, Immutable.is, Set.has and Map
// keys all work, and a state may hold it like any other value. TLC sorts model
// values by name and before every other kind of value (ModelValue.compareTo);
// src/engine/tlaText.ts follows that order.
import { hash } from 'immutable';
import { finA, finB, mixA, mixB, stringLanes, strHi, strLo, TAG_MODEL } from './fingerprintMix.ts';

const MODEL_VALUE_BRAND: unique symbol = Symbol.for('klpcheck.modelValue');

export class ModelValue {
  readonly [MODEL_VALUE_BRAND] = true;
  readonly name: string;
  /** Immutable.js's hash of the value, computed once (Maps keyed by model values hash them on every get and set). */
  readonly #hash: number;

  private constructor(name: string) {
    this.name = name;
    this.#hash = hash(`\u0000mv:${name}`);
    // Its fingerprint and its share of a Set's sums, as fingerprint.ts memoises them on collections:
    // the name's string fingerprint tagged as a model value. A frozen object takes no memo later, and
    // model values are the keys of many Maps (RM, Acceptor, Proc), fingerprinted on every walk.
    stringLanes(name);
    const hi = finA(mixA(strHi, TAG_MODEL));
    const lo = finB(mixB(strLo, TAG_MODEL));
    // And its Immutable hash where recordFast.ts's fieldHash reads a record's cached one (a field holding a
    // model value was hashed through Immutable's hash() dispatch on every record hashed).
    const memo = { __klpH: hi, __klpL: lo, __klpEA: finA(mixA(hi, lo)), __klpEB: finB(mixB(lo, hi)), __klpIH: this.#hash };
    for (const [k, v] of Object.entries(memo)) Object.defineProperty(this, k, { value: v, enumerable: false });
    Object.freeze(this);
  }

  /** Immutable.js ValueObject: equal to the model value of the same name only. */
  equals(other: unknown): boolean {
    return isModelValue(other) && other.name === this.name;
  }

  hashCode(): number {
    return this.#hash;
  }

  /** TLC prints a model value as its bare name. */
  toString(): string {
    return this.name;
  }

  /** In JSON (summary, constants) a model value is its name. */
  toJSON(): string {
    return this.name;
  }

  /** @internal Use modelValue(name). */
  static intern(name: string): ModelValue {
    let mv = table.get(name);
    if (mv === undefined) {
      mv = new ModelValue(name);
      table.set(name, mv);
    }
    return mv;
  }
}

const table = new Map<string, ModelValue>();

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The model value named `name` (a TLA+ identifier), the same object every call. */
export function modelValue(name: string): ModelValue {
  if (!NAME.test(name)) throw new TypeError(`a model value is named by an identifier, not ${JSON.stringify(name)}`);
  return ModelValue.intern(name);
}

/** Several model values at once: modelValues('r1', 'r2') for RM = {r1, r2}. */
export function modelValues(...names: readonly string[]): ModelValue[] {
  return names.map(modelValue);
}

export function isModelValue(v: unknown): v is ModelValue {
  return typeof v === 'object' && v !== null && (v as { [MODEL_VALUE_BRAND]?: unknown })[MODEL_VALUE_BRAND] === true;
}
