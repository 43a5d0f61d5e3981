// PaxosCommit, after tlaplus/Examples specifications/transaction_commit/PaxosCommit.tla
// (Gray and Lamport, "Consensus on Transaction Commit"), checked as in
// PaxosCommit.cfg: RM = {r1, r2}, Acceptor = {a1, a2, a3}, Majority = the three
// pairs of acceptors, Ballot = {0, 1}, INVARIANT PCTypeOK (deadlock checked).
// The tlaplus/Examples manifest (specifications/transaction_commit/manifest.json,
// TLC's output recorded by that repository's CI) gives 1,321,761 distinct states,
// 16,959,159 generated, depth 28.
//
// The model of the engine's "sets of records" benchmark: `msgs`, the set of all
// messages ever sent, is an Immutable Set of Records, and every action tests
// membership of freshly built records or scans it.
//
// Counting as TLC does: TLC evaluates an \E inside an action as a branch, one
// successor per witness (the same state several times when witnesses agree),
// and an \A as a conjunction of such branches. So Phase2a yields one successor
// per majority MS whose phase 1b messages are all there (times the number of
// matching messages per acceptor), and Decide one per (ballot, majority)
// witness of Decided: the product over RMs for Commit, the sum over RMs for
// Abort. The successors repeat to give TLC's "states generated".
import { Map as IMap, Record, Set as ISet } from 'immutable';
import { defineSpec, modelValues, type ModelValue } from '../../src/engine/index.ts';

type RM = ModelValue;
type Acc = ModelValue;
type RMState = 'working' | 'prepared' | 'committed' | 'aborted';
type Val = 'prepared' | 'aborted';
type AVal = Val | 'none';

interface Consts {
  [name: string]: readonly ModelValue[] | readonly (readonly ModelValue[])[] | readonly number[];
  RM: readonly RM[];
  Acceptor: readonly Acc[];
  Majority: readonly (readonly Acc[])[];
  Ballot: readonly number[];
}

// Message == [type : {"phase1a"}, ins : RM, bal : Ballot \ {0}] \cup ... \cup [type : {"Commit", "Abort"}]
const Phase1a = Record<{ type: 'phase1a'; ins: RM | null; bal: number }>({ type: 'phase1a', ins: null, bal: 1 }, 'Phase1a');
const Phase1b = Record<{ type: 'phase1b'; ins: RM | null; mbal: number; bal: number; val: AVal; acc: Acc | null }>(
  { type: 'phase1b', ins: null, mbal: 0, bal: -1, val: 'none', acc: null },
  'Phase1b',
);
const Phase2a = Record<{ type: 'phase2a'; ins: RM | null; bal: number; val: Val }>({ type: 'phase2a', ins: null, bal: 0, val: 'prepared' }, 'Phase2a');
const Phase2b = Record<{ type: 'phase2b'; acc: Acc | null; ins: RM | null; bal: number; val: Val }>(
  { type: 'phase2b', acc: null, ins: null, bal: 0, val: 'prepared' },
  'Phase2b',
);
const Decision = Record<{ type: 'Commit' | 'Abort' }>({ type: 'Commit' }, 'Decision');
type Message = ReturnType<typeof Phase1a> | ReturnType<typeof Phase1b> | ReturnType<typeof Phase2a> | ReturnType<typeof Phase2b> | ReturnType<typeof Decision>;

const COMMIT = Decision({ type: 'Commit' });
const ABORT = Decision({ type: 'Abort' });

/** An acceptor's state for one instance: [mbal : Ballot, bal : Ballot \cup {-1}, val : {...}]. */
const AState = Record<{ mbal: number; bal: number; val: AVal }>({ mbal: 0, bal: -1, val: 'none' }, 'AState');
type AState = ReturnType<typeof AState>;

const State = Record(
  {
    rmState: IMap<RM, RMState>(),
    aState: IMap<RM, IMap<Acc, AState>>(),
    msgs: ISet<Message>(),
  },
  'PaxosCommit',
);
type State = ReturnType<typeof State>;

const setRM = (s: State, rm: RM, to: RMState): State => s.set('rmState', s.rmState.set(rm, to));
const send = (s: State, m: Message): State => s.set('msgs', s.msgs.add(m));

/** Number of (b, MS) in Ballot \X Majority with \A ac \in MS : [type |-> "phase2b", ins |-> rm, bal |-> b, val |-> v, acc |-> ac] \in msgs. */
function decidedWitnesses(s: State, rm: RM, v: Val, c: Consts): number {
  let n = 0;
  for (const b of c.Ballot) {
    for (const ms of c.Majority) {
      if (ms.every((ac) => s.msgs.has(Phase2b({ acc: ac, ins: rm, bal: b, val: v })))) n++;
    }
  }
  return n;
}

const repeat = (s: State, n: number): State[] => Array.from({ length: n }, () => s);

const RM_STATES: ReadonlySet<string> = new Set(['working', 'prepared', 'committed', 'aborted']);
const A_VALS: ReadonlySet<string> = new Set(['prepared', 'aborted', 'none']);

/** m \in Message. */
function isMessage(m: Message, c: Consts): boolean {
  const rm = (x: RM | null): boolean => x !== null && c.RM.includes(x);
  const ballot = (b: number): boolean => c.Ballot.includes(b);
  const acc = (a: Acc | null): boolean => a !== null && c.Acceptor.includes(a);
  if (m instanceof Phase1a) return rm(m.ins) && ballot(m.bal) && m.bal !== 0;
  if (m instanceof Phase1b) return rm(m.ins) && ballot(m.mbal) && (ballot(m.bal) || m.bal === -1) && A_VALS.has(m.val) && acc(m.acc);
  if (m instanceof Phase2a) return rm(m.ins) && ballot(m.bal) && (m.val === 'prepared' || m.val === 'aborted');
  if (m instanceof Phase2b) return acc(m.acc) && rm(m.ins) && ballot(m.bal) && (m.val === 'prepared' || m.val === 'aborted');
  return m instanceof Decision && (m.type === 'Commit' || m.type === 'Abort');
}

export default defineSpec({
  name: 'PaxosCommit',
  description: 'Paxos Commit: transaction commit with Paxos consensus per resource manager (RM = {r1, r2}, three acceptors, Ballot = {0, 1})',
  constants: {
    RM: modelValues('r1', 'r2'),
    Acceptor: modelValues('a1', 'a2', 'a3'),
    Majority: [modelValues('a1', 'a2'), modelValues('a1', 'a3'), modelValues('a2', 'a3')],
    Ballot: [0, 1],
  } as Consts,
  variables: ['rmState', 'aState', 'msgs'],

  // PCInit
  init: (c: Consts) => [
    State({
      rmState: IMap(c.RM.map((rm): [RM, RMState] => [rm, 'working'])),
      aState: IMap(c.RM.map((rm): [RM, IMap<Acc, AState>] => [rm, IMap(c.Acceptor.map((ac): [Acc, AState] => [ac, AState()]))])),
      msgs: ISet(),
    }),
  ],

  actions: {
    RMPrepare: {
      params: { rm: (c: Consts) => c.RM },
      next: (s: State, { rm }: { rm: RM }) =>
        s.rmState.get(rm) === 'working' && send(setRM(s, rm, 'prepared'), Phase2a({ ins: rm, bal: 0, val: 'prepared' })),
    },
    RMChooseToAbort: {
      params: { rm: (c: Consts) => c.RM },
      next: (s: State, { rm }: { rm: RM }) =>
        s.rmState.get(rm) === 'working' && send(setRM(s, rm, 'aborted'), Phase2a({ ins: rm, bal: 0, val: 'aborted' })),
    },
    RMRcvCommitMsg: {
      params: { rm: (c: Consts) => c.RM },
      next: (s: State, { rm }: { rm: RM }) => s.msgs.has(COMMIT) && setRM(s, rm, 'committed'),
    },
    RMRcvAbortMsg: {
      params: { rm: (c: Consts) => c.RM },
      next: (s: State, { rm }: { rm: RM }) => s.msgs.has(ABORT) && setRM(s, rm, 'aborted'),
    },
    // \E bal \in Ballot \ {0}, rm \in RM : Phase1a(bal, rm) \/ Phase2a(bal, rm)
    Phase1a: {
      params: { bal: (c: Consts) => c.Ballot.filter((b) => b !== 0), rm: (c: Consts) => c.RM },
      next: (s: State, { bal, rm }: { bal: number; rm: RM }) => send(s, Phase1a({ ins: rm, bal })),
    },
    Phase2a: {
      params: { bal: (c: Consts) => c.Ballot.filter((b) => b !== 0), rm: (c: Consts) => c.RM },
      next(s: State, { bal, rm }: { bal: number; rm: RM }, c: Consts) {
        for (const m of s.msgs) if (m instanceof Phase2a && m.bal === bal && m.ins === rm) return undefined;
        const out: State[] = [];
        for (const ms of c.Majority) {
          const mset: ReturnType<typeof Phase1b>[] = [];
          for (const m of s.msgs) if (m instanceof Phase1b && m.ins === rm && m.mbal === bal && m.acc !== null && ms.includes(m.acc)) mset.push(m);
          // \A ac \in MS : \E m \in mset : m.acc = ac, one branch per witness.
          let witnesses = 1;
          for (const ac of ms) witnesses *= mset.filter((m) => m.acc === ac).length;
          if (witnesses === 0) continue;
          const maxbal = Math.max(-1, ...mset.map((m) => m.bal));
          const val: Val = maxbal === -1 ? 'aborted' : (mset.find((m) => m.bal === maxbal)!.val as Val);
          out.push(...repeat(send(s, Phase2a({ ins: rm, bal, val })), witnesses));
        }
        return out;
      },
    },
    Decide(s: State, c: Consts) {
      let commit = 1;
      for (const rm of c.RM) commit *= decidedWitnesses(s, rm, 'prepared', c);
      let abort = 0;
      for (const rm of c.RM) abort += decidedWitnesses(s, rm, 'aborted', c);
      return [...repeat(send(s, COMMIT), commit), ...repeat(send(s, ABORT), abort)];
    },
    // \E acc \in Acceptor : Phase1b(acc) \/ Phase2b(acc)
    Phase1b: {
      params: { acc: (c: Consts) => c.Acceptor },
      next(s: State, { acc }: { acc: Acc }) {
        const out: State[] = [];
        for (const m of s.msgs) {
          if (!(m instanceof Phase1a) || m.ins === null) continue;
          const a = s.aState.get(m.ins)!.get(acc)!;
          if (!(a.mbal < m.bal)) continue;
          const next = s.set('aState', s.aState.setIn([m.ins, acc, 'mbal'], m.bal));
          out.push(send(next, Phase1b({ ins: m.ins, mbal: m.bal, bal: a.bal, val: a.val, acc })));
        }
        return out;
      },
    },
    Phase2b: {
      params: { acc: (c: Consts) => c.Acceptor },
      next(s: State, { acc }: { acc: Acc }) {
        const out: State[] = [];
        for (const m of s.msgs) {
          if (!(m instanceof Phase2a) || m.ins === null) continue;
          const a = s.aState.get(m.ins)!.get(acc)!;
          if (!(a.mbal <= m.bal)) continue;
          const next = s.set('aState', s.aState.setIn([m.ins, acc], AState({ mbal: m.bal, bal: m.bal, val: m.val })));
          out.push(send(next, Phase2b({ ins: m.ins, bal: m.bal, val: m.val, acc })));
        }
        return out;
      },
    },
  },

  invariants: {
    PCTypeOK: {
      description: 'rmState, aState and msgs have their declared types (msgs \\subseteq Message)',
      holds(s: State, c: Consts) {
        if (s.rmState.size !== c.RM.length || s.aState.size !== c.RM.length) return false;
        for (const rm of c.RM) {
          if (!RM_STATES.has(s.rmState.get(rm) ?? '')) return false;
          const row = s.aState.get(rm);
          if (row === undefined || row.size !== c.Acceptor.length) return false;
          for (const ac of c.Acceptor) {
            const a = row.get(ac);
            if (a === undefined || !c.Ballot.includes(a.mbal) || !(c.Ballot.includes(a.bal) || a.bal === -1) || !A_VALS.has(a.val)) return false;
          }
        }
        for (const m of s.msgs) if (!isMessage(m, c)) return false;
        return true;
      },
    },
  },
  checkInvariants: ['PCTypeOK'],
});
