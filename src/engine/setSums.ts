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
// Adding an element equal to one already there gives a new Set of the same
// size holding the new object: the two elements' shares are swapped. The
// element's share is computed as the walk would compute it (and kept on
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

/**
 * `made` = `from` with one element more (sign 1) or less (-1): its sums from `from`'s. Or `made` = `from`
 * with `value` put in place of an equal element (sign 1, same size): Immutable's add keeps the Set only when
 * the very same object is in it, and otherwise stores the new one (`msgs \cup {m}` with m already sent, a
 * freshly built record: a quarter of PaxosCommit's adds). The old element's share comes out and the new one's
 * goes in: equal elements may fingerprint apart (records of two types with their fields in another order).
 */
function carry(from: ISet<unknown>, made: ISet<unknown>, value: unknown, sign: 1 | -1): void {
  const f = from as unknown as SetSums;
  if (f.__klpSA === undefined || made === from || Object.getPrototypeOf(made) !== SET_PROTO) return;
  const grew = made.size - from.size;
  if (grew !== sign && !(grew === 0 && sign === 1)) return;
  // Only immutable values: a record being built in withMutations may still change.
  if (typeof value === 'object' && value !== null && (value as { __ownerID?: unknown }).__ownerID) return;
  let a = f.__klpSA;
  let b = f.__klpSB!;
  try {
    if (grew === 0) {
      // A Set's inner Map holds each element as its own value: this is the element `value` replaced.
      elementShare((from as unknown as { _map: { get(k: unknown): unknown } })._map.get(value));
      a = (a - shareA) | 0;
      b = (b - shareB) | 0;
    }
    elementShare(value);
  } catch {
    return;
  }
  const m = made as unknown as SetSums;
  m.__klpSA = (a + sign * shareA) | 0;
  m.__klpSB = (b + sign * shareB) | 0;
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
