// LamportMutex, after tlaplus/Examples specifications/lamport_mutex/LamportMutex.tla
// (Stephan Merz), checked as in MCLamportMutex.tla / MCLamportMutex.cfg: Lamport's
// distributed mutual-exclusion algorithm from "Time, Clocks and the Ordering of
// Events in a Distributed System" (CACM 1978). N processes keep logical clocks
// and a request queue, broadcast timestamped requests over pairwise FIFO
// channels, and enter the critical section once every peer has acknowledged and
// no known request beats their own. The cfg uses N = 3, MaxNat = 7 (Nat is
// overridden by 0..MaxNat), maxClock = 6 with CONSTRAINT ClockConstraint, and
// checks the invariants TypeOK, BoundedNetwork and Mutex (deadlock checked).
// TLC 2.18 finds 724,274 distinct states, 2,729,079 states generated, depth 61.
//
// Functions over Proc = 1..N are held as Immutable Lists indexed by p - 1: in
// TLA+ a function with domain 1..N is the N-tuple, so this is the same value
// (TLC prints it as <<...>> too), and List get/set is cheaper than Map's.
import { List, Record, Set as ISet } from 'immutable';
import type { RecordOf } from 'immutable';
import { defineSpec } from '../../src/engine/index.ts';

// ---------------------------------------------------------------------------
// Messages: [type |-> "req" | "ack" | "rel", clock |-> Nat].

type MessageType = 'req' | 'ack' | 'rel';
type MessageProps = { type: MessageType; clock: number };
const Message = Record<MessageProps>({ type: 'ack', clock: 0 });
type Message = RecordOf<MessageProps>;

/** AckMessage == [type |-> "ack", clock |-> 0] (one shared instance). */
const AckMessage: Message = Message({ type: 'ack', clock: 0 });
/** RelMessage == [type |-> "rel", clock |-> 0] (one shared instance). */
const RelMessage: Message = Message({ type: 'rel', clock: 0 });
const reqMessages: Message[] = [];
/** ReqMessage(c) == [type |-> "req", clock |-> c], one cached instance per clock. */
function ReqMessage(c: number): Message {
  return (reqMessages[c] ??= Message({ type: 'req', clock: c }));
}

// ---------------------------------------------------------------------------
// State, in the module's VARIABLES order.

type Channel = List<Message>;
type StateProps = {
  /** clock[p]: local clock of process p. */
  clock: List<number>;
  /** req[p][q]: clock of q's request as known to p, 0 if none. */
  req: List<List<number>>;
  /** ack[p]: processes that have acknowledged p's request. */
  ack: List<ISet<number>>;
  /** network[p][q]: FIFO queue of messages from p to q. */
  network: List<List<Channel>>;
  /** Processes in the critical section. */
  crit: ISet<number>;
};
const State = Record<StateProps>({
  clock: List(),
  req: List(),
  ack: List(),
  network: List(),
  crit: ISet(),
});
type State = RecordOf<StateProps>;

type Consts = { N: number; MaxNat: number; maxClock: number };

const range = (lo: number, hi: number): number[] => {
  const out: number[] = [];
  for (let i = lo; i <= hi; i++) out.push(i);
  return out;
};
const Proc = (c: Consts): number[] => range(1, c.N);
const EMPTY: ISet<number> = ISet();
const procParam = { p: Proc };
const pairParams = { p: Proc, q: Proc };

/** beats(p, q): p believes its own request has priority over q's. */
function beats(s: State, p: number, q: number): boolean {
  const row = s.req.get(p - 1)!;
  const mine = row.get(p - 1)!;
  const theirs = row.get(q - 1)!;
  return theirs === 0 || mine < theirs || (mine === theirs && p < q);
}

/** [network EXCEPT ![p] = Broadcast(p, m)]: append m to every channel from p except p -> p. */
function broadcast(network: List<List<Channel>>, p: number, m: Message): List<List<Channel>> {
  const row = network.get(p - 1)!.withMutations((r) => {
    for (let i = 0; i < r.size; i++) if (i !== p - 1) r.set(i, r.get(i)!.push(m));
  });
  return network.set(p - 1, row);
}

/** Head(network[q][p]), or undefined when network[q][p] = <<>>. */
function headOf(s: State, q: number, p: number): Message | undefined {
  return s.network.get(q - 1)!.get(p - 1)!.first();
}

/** [network EXCEPT ![q][p] = Tail(@)]. */
function popChannel(network: List<List<Channel>>, q: number, p: number): List<List<Channel>> {
  const row = network.get(q - 1)!;
  return network.set(q - 1, row.set(p - 1, row.get(p - 1)!.shift()));
}

/** [f EXCEPT ![p][q] = v] for a function Proc -> [Proc -> Nat]. */
function setEntry(f: List<List<number>>, p: number, q: number, v: number): List<List<number>> {
  const row = f.get(p - 1)!;
  return f.set(p - 1, row.set(q - 1, v));
}

// Invariant helpers, written as plain loops: they run on every generated state.

const inRange = (x: number, lo: number, hi: number): boolean => Number.isInteger(x) && x >= lo && x <= hi;

/** set \in SUBSET Proc. */
function isSubsetOfProc(set: ISet<number>, n: number): boolean {
  for (const x of set) if (!inRange(x, 1, n)) return false;
  return true;
}

/** m \in Message, with Clock = Nat \ {0} = 1..MaxNat. */
function isMessage(m: Message, maxNat: number): boolean {
  return m.type === 'req' ? inRange(m.clock, 1, maxNat) : (m.type === 'ack' || m.type === 'rel') && m.clock === 0;
}

function typeOK(s: State, c: Consts): boolean {
  const n = c.N;
  const maxNat = c.MaxNat;
  const { clock, req, ack, network, crit } = s;
  if (clock.size !== n || req.size !== n || ack.size !== n || network.size !== n) return false;
  for (let p = 0; p < n; p++) {
    if (!inRange(clock.get(p)!, 1, maxNat)) return false; // clock \in [Proc -> Clock]
    const reqRow = req.get(p)!; // req \in [Proc -> [Proc -> Nat]]
    if (reqRow.size !== n) return false;
    for (let q = 0; q < n; q++) if (!inRange(reqRow.get(q)!, 0, maxNat)) return false;
    if (!isSubsetOfProc(ack.get(p)!, n)) return false; // ack \in [Proc -> SUBSET Proc]
    const netRow = network.get(p)!; // network \in [Proc -> [Proc -> Seq(Message)]]
    if (netRow.size !== n) return false;
    for (let q = 0; q < n; q++) {
      const ch = netRow.get(q)!;
      for (let i = 0; i < ch.size; i++) if (!isMessage(ch.get(i)!, maxNat)) return false;
    }
  }
  return isSubsetOfProc(crit, n); // crit \in SUBSET Proc
}

function boundedNetwork(s: State): boolean {
  const network = s.network;
  for (let p = 0; p < network.size; p++) {
    const row = network.get(p)!;
    for (let q = 0; q < row.size; q++) if (row.get(q)!.size > 3) return false;
  }
  return true;
}

/** ClockConstraint == \A p \in Proc : clock[p] <= maxClock */
function clockConstraint(s: State, c: Consts): boolean {
  const clock = s.clock;
  for (let p = 0; p < clock.size; p++) if (clock.get(p)! > c.maxClock) return false;
  return true;
}

export default defineSpec({
  name: 'LamportMutex',
  description: "Lamport's distributed mutual exclusion with logical clocks (MCLamportMutex, N = 3, maxClock = 6)",
  constants: { N: 3, MaxNat: 7, maxClock: 6 },
  init: (c: Consts) => {
    const zeros = List(range(1, c.N).map(() => 0));
    const empty: Channel = List();
    return [
      State({
        clock: List(range(1, c.N).map(() => 1)),
        req: List(range(1, c.N).map(() => zeros)),
        ack: List(range(1, c.N).map(() => EMPTY)),
        network: List(range(1, c.N).map(() => List(range(1, c.N).map(() => empty)))),
        crit: EMPTY,
      }),
    ];
  },
  actions: {
    // \E p \in Proc : Request(p) \/ Enter(p) \/ Exit(p)
    Request: {
      params: procParam,
      next(s: State, { p }: { p: number }) {
        const row = s.req.get(p - 1)!;
        if (row.get(p - 1) !== 0) return undefined;
        const ck = s.clock.get(p - 1)!;
        return s.withMutations((t) => {
          t.set('req', s.req.set(p - 1, row.set(p - 1, ck)))
            .set('network', broadcast(s.network, p, ReqMessage(ck)))
            .set('ack', s.ack.set(p - 1, ISet([p])));
        });
      },
    },
    Enter: {
      params: procParam,
      next(s: State, { p }: { p: number }, c: Consts) {
        if (s.ack.get(p - 1)!.size !== c.N) return undefined; // ack[p] = Proc (ack[p] \subseteq Proc)
        for (let q = 1; q <= c.N; q++) if (q !== p && !beats(s, p, q)) return undefined;
        return s.set('crit', s.crit.add(p));
      },
    },
    Exit: {
      params: procParam,
      next(s: State, { p }: { p: number }) {
        if (!s.crit.has(p)) return undefined;
        return s.withMutations((t) => {
          t.set('crit', s.crit.remove(p))
            .set('network', broadcast(s.network, p, RelMessage))
            .set('req', setEntry(s.req, p, p, 0))
            .set('ack', s.ack.set(p - 1, EMPTY));
        });
      },
    },
    // \E p \in Proc : \E q \in Proc \ {p} :
    //   ReceiveRequest(p,q) \/ ReceiveAck(p,q) \/ ReceiveRelease(p,q)
    ReceiveRequest: {
      params: pairParams,
      next(s: State, { p, q }: { p: number; q: number }) {
        if (p === q) return undefined;
        const m = headOf(s, q, p);
        if (m === undefined || m.type !== 'req') return undefined;
        const c = m.clock;
        const ck = s.clock.get(p - 1)!;
        // network' = [network EXCEPT ![q][p] = Tail(@), ![p][q] = Append(@, AckMessage)]
        const popped = popChannel(s.network, q, p);
        const row = popped.get(p - 1)!;
        return s.withMutations((t) => {
          t.set('clock', s.clock.set(p - 1, c > ck ? c + 1 : ck + 1))
            .set('req', setEntry(s.req, p, q, c))
            .set('network', popped.set(p - 1, row.set(q - 1, row.get(q - 1)!.push(AckMessage))));
        });
      },
    },
    ReceiveAck: {
      params: pairParams,
      next(s: State, { p, q }: { p: number; q: number }) {
        if (p === q) return undefined;
        const m = headOf(s, q, p);
        if (m === undefined || m.type !== 'ack') return undefined;
        return s.set('ack', s.ack.set(p - 1, s.ack.get(p - 1)!.add(q))).set('network', popChannel(s.network, q, p));
      },
    },
    ReceiveRelease: {
      params: pairParams,
      next(s: State, { p, q }: { p: number; q: number }) {
        if (p === q) return undefined;
        const m = headOf(s, q, p);
        if (m === undefined || m.type !== 'rel') return undefined;
        return s.set('req', setEntry(s.req, p, q, 0)).set('network', popChannel(s.network, q, p));
      },
    },
  },
  invariants: {
    TypeOK: {
      description: 'clock, req, ack, network and crit have their declared types (Nat overridden by 0..MaxNat)',
      holds: typeOK,
    },
    BoundedNetwork: {
      description: 'no channel ever holds more than three messages',
      holds: boundedNetwork,
    },
    Mutex: {
      description: 'at most one process is in the critical section (\\A p, q \\in crit : p = q)',
      holds: (s: State) => s.crit.size <= 1,
    },
  },
  checkInvariants: ['TypeOK', 'BoundedNetwork', 'Mutex'],
  constraint: clockConstraint,
});
