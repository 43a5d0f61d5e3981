// The 32-bit mixing rounds of the fingerprint's two lanes and the tags that
// keep value kinds apart (src/engine/fingerprint.ts walks values with them).
// Lane A is a murmur3 round and finaliser, lane B an xxhash32 round and a
// different finaliser, so that the two 32-bit halves of a fingerprint are
// independent. Changing a constant changes every fingerprint (and the
// collision estimate printed at the end of a run), never a count or an order.
export const TAG_NUM = 0x1b873593;
export const TAG_STR = 0x2c1b3c6d;
export const TAG_TRUE = 0x297a2d39;
export const TAG_FALSE = 0x5f356495;
export const TAG_LIST = 0x68e31da4;
export const TAG_SET = 0x3c6ef372;
export const TAG_MAP = 0x7f4a7c15;
export const TAG_RECORD = 0x61c88647;
export const TAG_BIGINT = 0x4cf5ad43;
export const TAG_MODEL = 0x3b9aca07;

/** murmur3 round for lane A. */
export function mixA(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** A different round (xxhash32 primes) for lane B, so the lanes stay independent. */
export function mixB(h: number, k: number): number {
  h = (h + Math.imul(k, 0x85ebca77)) | 0;
  h = (h << 13) | (h >>> 19);
  return Math.imul(h, 0x9e3779b1);
}

/** murmur3's finaliser, for lane A. */
export function finA(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** Another finaliser (other shifts and multipliers), for lane B. */
export function finB(h: number): number {
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  return (h ^ (h >>> 15)) | 0;
}

/** Lanes of the last stringLanes call. */
export let strHi = 0;
export let strLo = 0;

/** The fingerprint of a string (tagged apart from every other kind), into strHi / strLo. */
export function stringLanes(s: string): void {
  let a = TAG_STR ^ s.length;
  let b = ~TAG_STR ^ Math.imul(s.length, 0x27d4eb2f);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = mixA(a, c);
    b = mixB(b, c ^ (i << 16));
  }
  strHi = finA(a);
  strLo = finB(b);
}
