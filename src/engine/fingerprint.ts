// 64-bit fingerprints of Immutable.js values, as two independent 32-bit lanes.
//
// Two states that are Immutable.is-equal get the same fingerprint whatever the
// insertion order of their Maps and Sets: ordered values (List, Record) fold
// their children in order, unordered ones (Set, Map) add up per-element hashes,
// which is commutative. Every kind is tagged, so 1, "1" and <<1>> differ.
//
// Speed: a successor shares most of its structure with its parent, so the
// fingerprint of every Immutable collection is memoised on the object itself
// (as Immutable.js memoises its own 32-bit hashCode). Only the spine that an
// action rebuilt is hashed again.
//
// The result is left in the module-level `fpHi` / `fpLo` to avoid allocating a
// pair per call; callers read them straight after `fingerprint(v)`.
import { List, Map as IMap, Record, Set as ISet } from 'immutable';
import { KlpError } from './errors.ts';
import { isModelValue } from './modelValue.ts';

export let fpHi = 0;
export let fpLo = 0;

interface Memo {
  __klpH?: number;
  __klpL?: number;
}

const TAG_NUM = 0x1b873593;
const TAG_STR = 0x2c1b3c6d;
const TAG_TRUE = 0x297a2d39;
const TAG_FALSE = 0x5f356495;
const TAG_LIST = 0x68e31da4;
const TAG_SET = 0x3c6ef372;
const TAG_MAP = 0x7f4a7c15;
const TAG_RECORD = 0x61c88647;
const TAG_BIGINT = 0x4cf5ad43;
const TAG_MODEL = 0x3b9aca07;

/** murmur3 round for lane A. */
function mixA(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** A different round (xxhash32 primes) for lane B, so the lanes stay independent. */
function mixB(h: number, k: number): number {
  h = (h + Math.imul(k, 0x85ebca77)) | 0;
  h = (h << 13) | (h >>> 19);
  return Math.imul(h, 0x9e3779b1);
}

function finA(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

function finB(h: number): number {
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  return (h ^ (h >>> 15)) | 0;
}

const stringCache = new Map<string, number>();
const stringCacheLo = new Map<string, number>();

function hashString(s: string): void {
  const cached = stringCache.get(s);
  if (cached !== undefined) {
    fpHi = cached;
    fpLo = stringCacheLo.get(s)!;
    return;
  }
  let a = TAG_STR ^ s.length;
  let b = ~TAG_STR ^ Math.imul(s.length, 0x27d4eb2f);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = mixA(a, c);
    b = mixB(b, c ^ (i << 16));
  }
  fpHi = finA(a);
  fpLo = finB(b);
  if (stringCache.size < 100_000) {
    stringCache.set(s, fpHi);
    stringCacheLo.set(s, fpLo);
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

/** Field names of each Record type, cached per Record class. */
const recordKeys = new Map<unknown, string[]>();

function keysOfRecord(r: Record<object>): string[] {
  const ctor = r.constructor;
  let keys = recordKeys.get(ctor);
  if (keys === undefined) {
    keys = [...r.toSeq().keys()].map(String);
    recordKeys.set(ctor, keys);
  }
  return keys;
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
      if (isModelValue(v)) {
        // Frozen and interned: hashed from its name, tagged apart from the string.
        hashString(v.name);
        fpHi = finA(mixA(fpHi, TAG_MODEL));
        fpLo = finB(mixB(fpLo, TAG_MODEL));
        return;
      }
      break;
    default:
      throw new KlpError('KLP109', `a state holds ${v === null ? 'null' : typeof v}, which the checker cannot store`);
  }
  const memo = v as Memo;
  if (memo.__klpH !== undefined) {
    fpHi = memo.__klpH;
    fpLo = memo.__klpL!;
    return;
  }
  let a: number;
  let b: number;
  if (Record.isRecord(v)) {
    const keys = keysOfRecord(v);
    a = TAG_RECORD ^ keys.length;
    b = ~TAG_RECORD;
    for (let i = 0; i < keys.length; i++) {
      fingerprint(v.get(keys[i]!));
      a = mixA(mixA(a, fpHi), fpLo);
      b = mixB(mixB(b, fpLo), fpHi);
    }
    // Distinguish Record types with equal values but different field names.
    hashString(keys.join('\u0000'));
    a = mixA(a, fpHi);
    b = mixB(b, fpLo);
  } else if (List.isList(v)) {
    a = TAG_LIST;
    b = ~TAG_LIST;
    let n = 0;
    (v as List<unknown>).forEach((x) => {
      fingerprint(x);
      a = mixA(mixA(a, fpHi), fpLo);
      b = mixB(mixB(b, fpLo), fpHi);
      n++;
    });
    a = mixA(a, n);
    b = mixB(b, n);
  } else if (ISet.isSet(v)) {
    let sa = 0;
    let sb = 0;
    let n = 0;
    (v as ISet<unknown>).forEach((x) => {
      fingerprint(x);
      sa = (sa + finA(mixA(fpHi, fpLo))) | 0;
      sb = (sb + finB(mixB(fpLo, fpHi))) | 0;
      n++;
    });
    a = mixA(mixA(TAG_SET, sa), n);
    b = mixB(mixB(~TAG_SET, sb), n);
  } else if (IMap.isMap(v)) {
    let sa = 0;
    let sb = 0;
    let n = 0;
    (v as IMap<unknown, unknown>).forEach((x, k) => {
      fingerprint(k);
      const ka = fpHi;
      const kb = fpLo;
      fingerprint(x);
      sa = (sa + finA(mixA(mixA(ka, kb), fpHi))) | 0;
      sb = (sb + finB(mixB(mixB(kb, ka), fpLo))) | 0;
      n++;
    });
    a = mixA(mixA(TAG_MAP, sa), n);
    b = mixB(mixB(~TAG_MAP, sb), n);
  } else {
    throw new KlpError('KLP109', 'a state holds a plain object or array; use Immutable Record, Map, List or Set');
  }
  fpHi = finA(a);
  fpLo = finB(b);
  memo.__klpH = fpHi;
  memo.__klpL = fpLo;
}
