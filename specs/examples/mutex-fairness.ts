// Two processes and a lock with no queue: idle -> waiting -> critical -> idle.
// The textbook liveness example (Lamport, "Specifying Systems" ch. 8; any
// course on fairness): a waiting process is guaranteed to enter only under
// STRONG fairness of its own Enter action, because its Enter is disabled each
// time the other process holds the lock, so weak fairness is met by those
// moments of disabledness. Answers, by hand and by the argument above:
//   ENTER = "weak"   P1Enters violated (p2 overtakes forever), exit 13
//   ENTER = "strong" P1Enters holds, exit 0
//   ENTER = "none"   violated by stuttering after Request(p1), exit 13
// 8 distinct states: pc in {idle, waiting, critical}^2 without both critical;
// 14 edges: Request(p) with p idle and the other in any of 3 states (2 x 3),
// Enter(p) with p waiting and the other idle or waiting (2 x 2), Exit(p) with
// p critical and the other idle or waiting (2 x 2). See test/cli/liveness.test.ts.
import { Map as IMap, Record } from 'immutable';
import { defineSpec, type FairnessDefinition } from '../../src/engine/index.ts';

const PROCS = ['p1', 'p2'];
const Vars = Record({ pc: IMap<string, string>() });
type Vars = ReturnType<typeof Vars>;

export default defineSpec({
  name: 'MutexFairness',
  description: 'A lock without a queue: p1 is sure to enter only under strong fairness',
  constants: { ENTER: 'strong' },
  init: () => [Vars({ pc: IMap(PROCS.map((p) => [p, 'idle'])) })],
  actions: {
    Request: { params: { p: PROCS }, next: (s: Vars, { p }) => (s.pc.get(p as string) === 'idle' ? s.setIn(['pc', p], 'waiting') : null) },
    Enter: {
      params: { p: PROCS },
      next: (s: Vars, { p }) => (s.pc.get(p as string) === 'waiting' && ![...s.pc.values()].includes('critical') ? s.setIn(['pc', p], 'critical') : null),
    },
    Exit: { params: { p: PROCS }, next: (s: Vars, { p }) => (s.pc.get(p as string) === 'critical' ? s.setIn(['pc', p], 'idle') : null) },
  },
  invariants: {
    MutualExclusion: { description: 'at most one process is critical', holds: (s: Vars) => [...s.pc.values()].filter((x) => x === 'critical').length <= 1 },
  },
  properties: {
    P1Enters: { description: 'a waiting p1 eventually enters', formula: 'pc[p1] = "waiting" ~> pc[p1] = "critical"', leadsTo: { from: (s: Vars) => s.pc.get('p1') === 'waiting', to: (s: Vars) => s.pc.get('p1') === 'critical' } },
  },
  fairness: (c): FairnessDefinition[] => [
    { kind: 'weak', action: 'Exit', perParam: true },
    ...(c.ENTER === 'none' ? [] : [{ kind: c.ENTER === 'weak' ? ('weak' as const) : ('strong' as const), action: 'Enter', perParam: true }]),
  ],
});
