// A Set's fingerprint carried from the Set it was made from, so that adding a
// message to a set of thirty costs one element's hash, not thirty.
//
// A plain Set's fingerprint is a mix of the sums of its elements' shares
// (fingerprint.ts). TLA+'s `msgs' = msgs \cup {m}` is an Immutable
// `msgs.add(m)`; when `msgs` already has its sums (it was fingerprinted as
// part of the state being expanded) the new Set's sums are those plus the new
// element's share, and `remove` takes one off. Installed once on Immutable's
// Set prototype (add, remove and its alias delete), the wrapper calls
// Immutable's own method and only then, when it made a new plain Set exactly
// one larger (or smaller) from a Set that has sums, writes the new Set's sums.
// The element's share is computed as the walk would compute it (and kept on
// the element); a value the fingerprint cannot take (null, a plain object)
// leaves the new Set without sums: the state's fingerprint reports it later,
// as before. A mutable Set (inside withMutations) is changed in place and
// never gets sums this way. Fingerprints are bit for bit those of the walk
// (test/engine/valueTable.test.ts).
import { Set as ISet } from 'immutable';
import { elementShare, type SetSums, shareA, shareB } from './fingerprint.ts';

type SetMethod = (this: ISet<unknown>, value: unknown) => ISet<unknown>;
interface SetProto {
  add: SetMethod;
  remove: SetMethod;
  delete: SetMethod;
  __klpSums?: true;
}

const SET_PROTO = ISet.prototype as unknown as SetProto;

/** `made` = `from` with one element more (sign 1) or less (-1): its sums from `from`'s. */
function carry(from: ISet<unknown>, made: ISet<unknown>, value: unknown, sign: 1 | -1): void {
  const f = from as unknown as SetSums;
  if (f.__klpSA === undefined || made === from || made.size !== from.size + sign || Object.getPrototypeOf(made) !== SET_PROTO) return;
  // Only immutable values: a record being built in withMutations may still change.
  if (typeof value === 'object' && value !== null && (value as { __ownerID?: unknown }).__ownerID) return;
  try {
    elementShare(value);
  } catch {
    return;
  }
  const m = made as unknown as SetSums;
  m.__klpSA = (f.__klpSA + sign * shareA) | 0;
  m.__klpSB = (f.__klpSB! + sign * shareB) | 0;
}

function install(): void {
  if (SET_PROTO.__klpSums === true) return;
  const add = SET_PROTO.add;
  const remove = SET_PROTO.remove;
  const del = SET_PROTO.delete;
  SET_PROTO.add = function (this: ISet<unknown>, value: unknown): ISet<unknown> {
    const made = add.call(this, value);
    carry(this, made, value, 1);
    return made;
  };
  SET_PROTO.remove = function (this: ISet<unknown>, value: unknown): ISet<unknown> {
    const made = remove.call(this, value);
    carry(this, made, value, -1);
    return made;
  };
  SET_PROTO.delete = function (this: ISet<unknown>, value: unknown): ISet<unknown> {
    const made = del.call(this, value);
    carry(this, made, value, -1);
    return made;
  };
  Object.defineProperty(SET_PROTO, '__klpSums', { value: true });
}

install();
