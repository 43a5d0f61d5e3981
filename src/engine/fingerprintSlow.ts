// The fingerprint walk through Immutable.js's public API, for the collections
// fingerprint.ts does not read through their internal nodes: OrderedMap,
// OrderedSet, long Lists, and any other Immutable version's layouts. It gives
// the same bits as the fast walk would on the same values (ordered kinds
// fold their children in order, unordered ones add up per-element hashes);
// test/engine/fingerprint.test.ts compares the two. A cold path, apart from
// fingerprint.ts so that the hot walk reads on its own.
import { List, Map as IMap, Set as ISet } from 'immutable';
import { KlpError } from './errors.ts';
import { entryHash, fingerprint, fpHi, fpLo } from './fingerprint.ts';
import { finA, finB, mixA, mixB, TAG_LIST, TAG_MAP, TAG_SET } from './fingerprintMix.ts';

/** The lanes of the last slowCollection, before the final mix. */
export let slowHi = 0;
export let slowLo = 0;

/** The public-API walk of a List, Set or Map: pre-final lanes into slowHi / slowLo. */
export function slowCollection(v: object): void {
  let a: number;
  let b: number;
  if (List.isList(v)) {
    a = TAG_LIST;
    b = ~TAG_LIST;
    let n = 0;
    for (const x of v as List<unknown>) {
      fingerprint(x);
      a = mixA(mixA(a, fpHi), fpLo);
      b = mixB(mixB(b, fpLo), fpHi);
      n++;
    }
    a = mixA(a, n);
    b = mixB(b, n);
  } else if (ISet.isSet(v)) {
    let sa = 0;
    let sb = 0;
    let n = 0;
    for (const x of v as ISet<unknown>) {
      fingerprint(x);
      sa = (sa + finA(mixA(fpHi, fpLo))) | 0;
      sb = (sb + finB(mixB(fpLo, fpHi))) | 0;
      n++;
    }
    a = mixA(mixA(TAG_SET, sa), n);
    b = mixB(mixB(~TAG_SET, sb), n);
  } else if (IMap.isMap(v)) {
    let sa = 0;
    let sb = 0;
    let n = 0;
    for (const [k, x] of v as IMap<unknown, unknown>) {
      entryHash(k, x);
      sa = (sa + fpHi) | 0;
      sb = (sb + fpLo) | 0;
      n++;
    }
    a = mixA(mixA(TAG_MAP, sa), n);
    b = mixB(mixB(~TAG_MAP, sb), n);
  } else {
    throw new KlpError('KLP109', 'a state holds a plain object or array; use Immutable Record, Map, List or Set');
  }
  slowHi = a;
  slowLo = b;
}
