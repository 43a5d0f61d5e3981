// Disruptor_MPMC, after tlaplus/Examples specifications/Disruptor/Disruptor_MPMC.tla
// (with its helper module RingBuffer.tla, instantiated as Buffer), by Nicholas
// Schultz-Møller: a multi-producer, multi-consumer LMAX Disruptor. Writers claim
// sequence numbers from a shared counter, write them into a ring buffer and
// publish them; every reader reads every published value. The ring buffer tracks
// who is accessing each slot so that NoDataRaces can catch races.
// Model Disruptor_MPMC.cfg: MaxPublished = 10, Writers = {w1, w2},
// Readers = {r1, r2, r3}, Size = 4, CONSTRAINT StateConstraint,
// CHECK_DEADLOCK FALSE, INVARIANTS TypeOk NoDataRaces.
// TLC 2.18 finds 112,929 distinct states, 422,781 generated, depth 81.
// The cfg's temporal PROPERTY Liveliness is not ported (no liveness checking yet).
import { List, Map as IMap, Record, Set as ISet } from 'immutable';
import { defineSpec } from '../../src/engine/index.ts';

interface DisruptorConstants {
  [name: string]: number | string | readonly string[];
  /** Max number of published events; bounds the model via StateConstraint. */
  MaxPublished: number;
  /** Writer/producer thread ids (model values). */
  Writers: readonly string[];
  /** Reader/consumer thread ids (model values). */
  Readers: readonly string[];
  /** Ring buffer size. */
  Size: number;
  /** The model value marking an empty slot. */
  NULL: string;
}

const ACCESS = 'Access';
const ADVANCE = 'Advance';
type Pc = typeof ACCESS | typeof ADVANCE;

/** A slot holds a sequence number, or NULL before its first write. */
type Slot = number | string;
type Index = number;

/** RingBuffer's variable: per slot, its value and who is accessing it. */
interface RingBufferFields {
  slots: IMap<Index, Slot>;
  readers: IMap<Index, ISet<string>>;
  writers: IMap<Index, ISet<string>>;
}
const RingBuffer = Record<RingBufferFields>({ slots: IMap(), readers: IMap(), writers: IMap() });
type RingBuffer = ReturnType<typeof RingBuffer>;

/** The module's VARIABLES, in declaration order. */
interface DisruptorFields {
  ringbuffer: RingBuffer;
  /** Shared counter for claiming a sequence for a writer. */
  next_sequence: number;
  /** Sequence claimed by each writer. */
  claimed_sequence: IMap<string, number>;
  /** Per slot: TRUE if last published in an even round, FALSE if odd. */
  published: IMap<Index, boolean>;
  /** Read cursor of each reader. */
  read: IMap<string, number>;
  /** Program counter of each writer and reader. */
  pc: IMap<string, Pc>;
  /** History variable: the values each reader has read (used by Liveliness). */
  consumed: IMap<string, List<Slot>>;
}
const State = Record<DisruptorFields>({
  ringbuffer: RingBuffer(),
  next_sequence: 0,
  claimed_sequence: IMap(),
  published: IMap(),
  read: IMap(),
  pc: IMap(),
  consumed: IMap(),
});
type State = ReturnType<typeof State>;

/** RingBuffer!IndexOf: TLA+ `%` is never negative for a positive modulus. */
const indexOf = (sequence: number, c: DisruptorConstants): Index => ((sequence % c.Size) + c.Size) % c.Size;

/** TLA+ `\div` floors towards minus infinity (sequences here are >= 0, but be exact). */
const floorDiv = (a: number, b: number): number => Math.floor(a / b);

/** IsPublished(sequence): the slot's flag matches the parity of the sequence's round. */
function isPublished(s: State, sequence: number, c: DisruptorConstants): boolean {
  const isEven = floorDiv(sequence, c.Size) % 2 === 0;
  return s.published.get(indexOf(sequence, c)) === isEven;
}

/** MinReadSequence: the smallest read cursor. */
function minReadSequence(s: State, c: DisruptorConstants): number {
  let min = Infinity;
  for (const r of c.Readers) {
    const at = s.read.get(r)!;
    if (at < min) min = at;
  }
  return min;
}

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);

const indices = (c: DisruptorConstants): Index[] => Array.from({ length: c.Size }, (_, i) => i);

/** The domains and value sets TypeOk checks against, computed once per constants object. */
interface Domains {
  slots: ReadonlySet<Index>;
  writers: ReadonlySet<string>;
  readers: ReadonlySet<string>;
  actors: ReadonlySet<string>;
}
const domainsCache = new WeakMap<DisruptorConstants, Domains>();
function domainsOf(c: DisruptorConstants): Domains {
  let d = domainsCache.get(c);
  if (d === undefined) {
    const writers = new Set(c.Writers);
    const readers = new Set(c.Readers);
    d = { slots: new Set(indices(c)), writers, readers, actors: new Set([...writers, ...readers]) };
    domainsCache.set(c, d);
  }
  return d;
}

/** f \in [domain -> {v : ok(v)}]: exactly that domain, every value satisfying ok. */
function isFunctionOver<K, V>(f: IMap<K, V>, domain: ReadonlySet<K>, ok: (v: V) => boolean): boolean {
  // Keys of a Map are distinct, so same size and every key in domain means same domain.
  return f.size === domain.size && f.every((v, k) => domain.has(k) && ok(v));
}

/** seq \in Seq(Nat). */
function isSeqOfNat(seq: List<Slot>): boolean {
  for (let i = 0; i < seq.size; i++) {
    const v = seq.get(i);
    if (!isInt(v) || v < 0) return false;
  }
  return true;
}

/** s \in SUBSET of: every element of s belongs to of. */
const isSubsetOf = (s: ISet<string>, of: ReadonlySet<string>): boolean => s.size === 0 || s.every((x) => of.has(x));

/** The constants of Disruptor_MPMC.cfg. */
const CFG: DisruptorConstants = {
  MaxPublished: 10,
  Writers: ['w1', 'w2'],
  Readers: ['r1', 'r2', 'r3'],
  Size: 4,
  NULL: 'NULL',
};

export default defineSpec({
  name: 'Disruptor_MPMC',
  description: 'Multi-producer, multi-consumer Disruptor ring buffer: no data races, every reader reads every event',
  constants: CFG,
  variables: ['ringbuffer', 'next_sequence', 'claimed_sequence', 'published', 'read', 'pc', 'consumed'],

  init(c) {
    const idx = indices(c);
    const noOne = ISet<string>();
    const ringbuffer = RingBuffer({
      slots: IMap(idx.map((i): [Index, Slot] => [i, c.NULL])),
      readers: IMap(idx.map((i): [Index, ISet<string>] => [i, noOne])),
      writers: IMap(idx.map((i): [Index, ISet<string>] => [i, noOne])),
    });
    return [
      State({
        ringbuffer,
        next_sequence: 0,
        claimed_sequence: IMap(c.Writers.map((w): [string, number] => [w, -1])),
        published: IMap(idx.map((i): [Index, boolean] => [i, false])),
        read: IMap(c.Readers.map((r): [string, number] => [r, -1])),
        pc: IMap([...c.Writers, ...c.Readers].map((a): [string, Pc] => [a, ADVANCE])),
        consumed: IMap(c.Readers.map((r): [string, List<Slot>] => [r, List()])),
      }),
    ];
  },

  actions: {
    /** Claim next_sequence, if clear of the slowest reader, and write it into its slot. */
    BeginWrite: {
      params: { writer: (c: DisruptorConstants) => c.Writers },
      next(s: State, { writer }: { writer: string }, c: DisruptorConstants) {
        const seq = s.next_sequence;
        if (s.pc.get(writer) !== ADVANCE) return undefined;
        if (minReadSequence(s, c) < seq - c.Size) return undefined;
        const index = indexOf(seq, c);
        const rb = s.ringbuffer;
        return s.withMutations((t) => {
          t.set('claimed_sequence', s.claimed_sequence.set(writer, seq));
          t.set('next_sequence', seq + 1);
          t.set('pc', s.pc.set(writer, ACCESS));
          t.set(
            'ringbuffer',
            rb.withMutations((b) => {
              b.set('slots', rb.slots.set(index, seq));
              b.set('writers', rb.writers.set(index, rb.writers.get(index)!.add(writer)));
            }),
          );
        });
      },
    },

    /** Leave the claimed slot and publish it (flip its round-parity flag). */
    EndWrite: {
      params: { writer: (c: DisruptorConstants) => c.Writers },
      next(s: State, { writer }: { writer: string }, c: DisruptorConstants) {
        if (s.pc.get(writer) !== ACCESS) return undefined;
        const index = indexOf(s.claimed_sequence.get(writer)!, c);
        const rb = s.ringbuffer;
        return s.withMutations((t) => {
          t.set('pc', s.pc.set(writer, ADVANCE));
          t.set('ringbuffer', rb.set('writers', rb.writers.set(index, rb.writers.get(index)!.remove(writer))));
          t.set('published', s.published.set(index, !s.published.get(index)));
        });
      },
    },

    /** Enter the next slot once it is published, and record the value read. */
    BeginRead: {
      params: { reader: (c: DisruptorConstants) => c.Readers },
      next(s: State, { reader }: { reader: string }, c: DisruptorConstants) {
        const next = s.read.get(reader)! + 1;
        if (!isPublished(s, next, c)) return undefined;
        if (s.pc.get(reader) !== ADVANCE) return undefined;
        const index = indexOf(next, c);
        const rb = s.ringbuffer;
        return s.withMutations((t) => {
          t.set('pc', s.pc.set(reader, ACCESS));
          t.set('ringbuffer', rb.set('readers', rb.readers.set(index, rb.readers.get(index)!.add(reader))));
          t.set('consumed', s.consumed.set(reader, s.consumed.get(reader)!.push(rb.slots.get(index)!)));
        });
      },
    },

    /** Leave the slot and advance the read cursor. */
    EndRead: {
      params: { reader: (c: DisruptorConstants) => c.Readers },
      next(s: State, { reader }: { reader: string }, c: DisruptorConstants) {
        if (s.pc.get(reader) !== ACCESS) return undefined;
        const next = s.read.get(reader)! + 1;
        const index = indexOf(next, c);
        const rb = s.ringbuffer;
        return s.withMutations((t) => {
          t.set('pc', s.pc.set(reader, ADVANCE));
          t.set('ringbuffer', rb.set('readers', rb.readers.set(index, rb.readers.get(index)!.remove(reader))));
          t.set('read', s.read.set(reader, next));
        });
      },
    },
  },

  /** StateConstraint. */
  constraint: (s, c) => s.next_sequence <= c.MaxPublished,
  checkDeadlock: false,

  invariants: {
    TypeOk: {
      description: 'every variable has its declared type (ring buffer slots, cursors, flags, program counters)',
      holds(s, c) {
        const d = domainsOf(c);
        const rb = s.ringbuffer;
        return (
          isFunctionOver(rb.slots, d.slots, (v) => isInt(v) || v === c.NULL) &&
          isFunctionOver(rb.readers, d.slots, (rs) => isSubsetOf(rs, d.readers)) &&
          isFunctionOver(rb.writers, d.slots, (ws) => isSubsetOf(ws, d.writers)) &&
          isInt(s.next_sequence) &&
          s.next_sequence >= 0 &&
          isFunctionOver(s.claimed_sequence, d.writers, isInt) &&
          isFunctionOver(s.published, d.slots, (p) => typeof p === 'boolean') &&
          isFunctionOver(s.read, d.readers, isInt) &&
          isFunctionOver(s.consumed, d.readers, isSeqOfNat) &&
          isFunctionOver(s.pc, d.actors, (p) => p === ACCESS || p === ADVANCE)
        );
      },
    },
    NoDataRaces: {
      description: 'no slot is read and written at once, and no slot has two writers',
      holds(s, c) {
        const rb = s.ringbuffer;
        for (let i = 0; i < c.Size; i++) {
          const ws = rb.writers.get(i)!;
          if (ws.size > 1) return false;
          if (ws.size > 0 && rb.readers.get(i)!.size > 0) return false;
        }
        return true;
      },
    },
  },
  checkInvariants: ['TypeOk', 'NoDataRaces'],
});
