// TwoPhase, after tlaplus/Examples specifications/transaction_commit/TwoPhase.tla
// (Lamport, with TCommit.tla for TCConsistent): the Two-Phase Commit protocol, a
// transaction manager (TM) collecting "Prepared" messages from resource managers
// (RMs) and broadcasting Commit or Abort. With RM = {r1, r2, r3} and TPTypeOK
// checked (TwoPhase.cfg), TLC 2.18 finds 288 distinct states, 1,146 generated,
// depth 11.
import { Map as IMap, Record, Set as ISet } from 'immutable';
import { defineSpec } from '../../src/engine/index.ts';

type RMState = 'working' | 'prepared' | 'committed' | 'aborted';
type TMState = 'init' | 'committed' | 'aborted';

// Message == [type : {"Prepared"}, rm : RM] \cup [type : {"Commit", "Abort"}]
const PreparedMsg = Record<{ type: 'Prepared'; rm: string }>({ type: 'Prepared', rm: '' }, 'PreparedMsg');
const DecisionMsg = Record<{ type: 'Commit' | 'Abort' }>({ type: 'Commit' }, 'DecisionMsg');
type PreparedMsg = ReturnType<typeof PreparedMsg>;
type DecisionMsg = ReturnType<typeof DecisionMsg>;
type Message = PreparedMsg | DecisionMsg;

const COMMIT: Message = DecisionMsg({ type: 'Commit' });
const ABORT: Message = DecisionMsg({ type: 'Abort' });

// [type |-> "Prepared", rm |-> rm], built once per RM.
const preparedCache = new Map<string, PreparedMsg>();
function prepared(rm: string): PreparedMsg {
  let m = preparedCache.get(rm);
  if (m === undefined) {
    m = PreparedMsg({ type: 'Prepared', rm });
    preparedCache.set(rm, m);
  }
  return m;
}

const State = Record({
  rmState: IMap<string, RMState>(),
  tmState: 'init' as TMState,
  tmPrepared: ISet<string>(),
  msgs: ISet<Message>(),
});
type State = ReturnType<typeof State>;

type Constants = { readonly RM: readonly string[] };
type RMParam = { readonly rm: string };

const RM_STATES: ReadonlySet<string> = new Set(['working', 'prepared', 'committed', 'aborted']);
const TM_STATES: ReadonlySet<string> = new Set(['init', 'committed', 'aborted']);
const rms = (c: Constants): readonly string[] => c.RM;

/** The rm's state moves to `to`, all else unchanged. */
const setRM = (s: State, rm: string, to: RMState): State => s.set('rmState', s.rmState.set(rm, to));

export default defineSpec({
  name: 'TwoPhase',
  description: 'Two-Phase Commit: a TM commits only once every RM has prepared',
  constants: { RM: ['r1', 'r2', 'r3'] } as Constants,
  // TPInit
  init: (c) => [State({ rmState: IMap(c.RM.map((rm): [string, RMState] => [rm, 'working'])) })],
  actions: {
    TMCommit: (s: State, c: Constants) =>
      s.tmState === 'init' &&
      s.tmPrepared.size === c.RM.length && // tmPrepared = RM
      c.RM.every((rm) => s.tmPrepared.has(rm)) &&
      s.merge({ tmState: 'committed', msgs: s.msgs.add(COMMIT) }),
    TMAbort: (s: State) => s.tmState === 'init' && s.merge({ tmState: 'aborted', msgs: s.msgs.add(ABORT) }),
    TMRcvPrepared: {
      params: { rm: rms },
      next: (s: State, p: RMParam) =>
        s.tmState === 'init' && s.msgs.has(prepared(p.rm)) && s.set('tmPrepared', s.tmPrepared.add(p.rm)),
    },
    RMPrepare: {
      params: { rm: rms },
      next: (s: State, p: RMParam) =>
        s.rmState.get(p.rm) === 'working' &&
        s.merge({ rmState: s.rmState.set(p.rm, 'prepared'), msgs: s.msgs.add(prepared(p.rm)) }),
    },
    RMChooseToAbort: {
      params: { rm: rms },
      next: (s: State, p: RMParam) => s.rmState.get(p.rm) === 'working' && setRM(s, p.rm, 'aborted'),
    },
    RMRcvCommitMsg: {
      params: { rm: rms },
      next: (s: State, p: RMParam) => s.msgs.has(COMMIT) && setRM(s, p.rm, 'committed'),
    },
    RMRcvAbortMsg: {
      params: { rm: rms },
      next: (s: State, p: RMParam) => s.msgs.has(ABORT) && setRM(s, p.rm, 'aborted'),
    },
  },
  invariants: {
    TPTypeOK: {
      description: 'every variable has its expected type: RM states, TM state, tmPrepared within RM, msgs within Message',
      holds: (s, c) => {
        const rm = new Set(c.RM);
        return (
          s.rmState.size === rm.size &&
          s.rmState.every((v, k) => rm.has(k) && RM_STATES.has(v)) &&
          TM_STATES.has(s.tmState) &&
          s.tmPrepared.every((r) => rm.has(r)) &&
          s.msgs.every((m) =>
            m instanceof PreparedMsg ? m.type === 'Prepared' && rm.has(m.rm) : m.type === 'Commit' || m.type === 'Abort',
          )
        );
      },
    },
    TCConsistent: {
      description: 'no RM has aborted while another has committed (TC!TCConsistent)',
      holds: (s) => !(s.rmState.includes('aborted') && s.rmState.includes('committed')),
    },
  },
  checkInvariants: ['TPTypeOK'],
});
