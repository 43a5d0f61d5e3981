// Building a short Immutable.js List from an array without Immutable's detour
// through a Seq and a copy of the array (the state codec decodes millions).
//
// `List(xs)` with 0 < xs.length < 32 makes a List whose only node is its tail,
// holding a copy of xs. `smallList` makes the same object (same prototype,
// same fields in the same order, a tail node of Immutable's own node class)
// around xs itself, which the caller must not touch afterwards. The shape is
// checked once against a List Immutable built; if it differs (another
// Immutable version) every call takes `List(xs)`.
import { List } from 'immutable';

interface TailNode {
  readonly array: unknown[];
  readonly ownerID: undefined;
}
type TailNodeClass = new (array: unknown[], ownerID: undefined) => TailNode;

/** The fields of a List in the order Immutable's makeList sets them. */
const LIST_FIELDS = ['size', '_origin', '_capacity', '_level', '_root', '_tail', '__ownerID', '__hash', '__altered'];

const LIST_PROTO: object = List.prototype;

function probeNodeClass(): TailNodeClass | undefined {
  const probe = List([7, 8]) as unknown as { [k: string]: unknown };
  if (Object.getPrototypeOf(probe) !== LIST_PROTO || Object.keys(probe).join() !== LIST_FIELDS.join()) return undefined;
  if (probe['size'] !== 2 || probe['_origin'] !== 0 || probe['_capacity'] !== 2 || probe['_level'] !== 5) return undefined;
  if (probe['_root'] !== undefined || probe['__ownerID'] !== undefined || probe['__hash'] !== undefined || probe['__altered'] !== false) return undefined;
  const tail = probe['_tail'] as { array?: unknown; ownerID?: unknown; constructor: unknown } | undefined;
  if (tail === undefined || Object.keys(tail).join() !== 'array,ownerID' || tail.ownerID !== undefined) return undefined;
  if (!Array.isArray(tail.array) || tail.array.length !== 2 || typeof tail.constructor !== 'function') return undefined;
  return tail.constructor as TailNodeClass;
}

const NodeClass = probeNodeClass();

interface ListFields {
  size: number;
  _origin: number;
  _capacity: number;
  _level: number;
  _root: undefined;
  _tail: TailNode;
  __ownerID: undefined;
  __hash: undefined;
  __altered: boolean;
}

/** `List(xs)`, taking ownership of xs (a fresh array the caller drops). */
export function smallList(xs: unknown[]): List<unknown> {
  const n = xs.length;
  if (n === 0) return List(); // Immutable 5.2 makes a new empty List each time
  if (n >= 32 || NodeClass === undefined) return List(xs);
  const list = Object.create(LIST_PROTO) as ListFields;
  list.size = n;
  list._origin = 0;
  list._capacity = n;
  list._level = 5;
  list._root = undefined;
  list._tail = new NodeClass(xs, undefined);
  list.__ownerID = undefined;
  list.__hash = undefined;
  list.__altered = false;
  return list as unknown as List<unknown>;
}
