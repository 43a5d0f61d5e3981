// The fingerprint's view of a Record type, kept per type (per prototype):
// its field names, the fingerprint of those names (so that two types with
// equal values but other field names differ), and the fingerprint of each
// field's default. A record stores a field equal to its default as undefined,
// and the walk (fingerprint.ts) takes the default's fingerprint from here
// instead of hashing the default again: a message's `type`, a task's idle
// fields (the livepatch mixed workload, `--por`: 4% of a run).
import type { Record } from 'immutable';
import { fingerprint, fpHi, fpLo } from './fingerprint.ts';

/** Field names of each Record type and the fingerprint of their names, cached per Record prototype. */
export interface RecordShape {
  readonly keys: readonly string[];
  readonly hi: number;
  readonly lo: number;
  /**
   * Each field's default's fingerprint, for the fields stored as undefined (equal to their default): a
   * message's `type`, a task's idle fields. `defaultOk[i]` is 0 where the default cannot be fingerprinted
   * (null): the walk meets it and reports it as before.
   */
  readonly defaultHi: Int32Array;
  readonly defaultLo: Int32Array;
  readonly defaultOk: Uint8Array;
}
const recordShapes = new Map<object, RecordShape>();

export function shapeOf(r: Record<object>): RecordShape {
  const onProto = (r as { __klpFS?: RecordShape }).__klpFS;
  if (onProto !== undefined) return onProto;
  const proto = Object.getPrototypeOf(r) as object;
  let shape = recordShapes.get(proto);
  if (shape === undefined) {
    const keys = [...r.toSeq().keys()].map(String);
    fingerprint(keys.join('\u0000'));
    const hi = fpHi;
    const lo = fpLo;
    const defaults = (r as unknown as { _defaultValues: { readonly [k: string]: unknown } })._defaultValues;
    const defaultHi = new Int32Array(keys.length);
    const defaultLo = new Int32Array(keys.length);
    const defaultOk = new Uint8Array(keys.length);
    for (let i = 0; i < keys.length; i++) {
      try {
        fingerprint(defaults[keys[i]!]);
      } catch {
        continue;
      }
      defaultHi[i] = fpHi;
      defaultLo[i] = fpLo;
      defaultOk[i] = 1;
    }
    shape = { keys, hi, lo, defaultHi, defaultLo, defaultOk };
    recordShapes.set(proto, shape);
    // Also on the prototype, where the next records of the type find it with one property read.
    if (Object.isExtensible(proto) && !Object.prototype.hasOwnProperty.call(proto, '__klpFS')) Object.defineProperty(proto, '__klpFS', { value: shape, enumerable: false });
  }
  return shape;
}
