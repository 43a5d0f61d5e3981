// Small specs with known liveness answers, for test/engine/liveness.test.ts:
// a counter that may stutter, a mutex where the other process may overtake
// forever, and a mutex with a FIFO queue (fair by construction).
import { List, Map as IMap, Record } from 'immutable';
import { defineSpec, type FairnessDefinition, type Spec } from '../../src/engine/spec.ts';

const Counter = Record({ pc: 0 });
export type CounterState = ReturnType<typeof Counter>;

/** pc goes 0 -> 1 -> 2 by Step; Done: <>(pc = 2). */
export function counterSpec(fairness: readonly FairnessDefinition[]): Spec<CounterState, { N: number }> {
  return defineSpec({
    name: 'Counter',
    constants: { N: 2 },
    init: () => [Counter()],
    actions: { Step: (s, c) => (s.pc < c.N ? s.set('pc', s.pc + 1) : null) },
    checkDeadlock: false,
    invariants: { Small: { description: 'pc < N', holds: (s, c) => s.pc < c.N } },
    checkInvariants: [],
    properties: {
      Done: { description: 'the counter reaches N', eventually: (s, c) => s.pc === c.N },
      OftenZero: { description: 'the counter is 0 infinitely often', alwaysEventually: (s) => s.pc === 0 },
    },
    fairness,
  });
}

const Mutex = Record({ pc: IMap<string, string>(), queue: List<string>() });
export type MutexState = ReturnType<typeof Mutex>;
const PROCS = ['p1', 'p2'];

/**
 * Two processes idle -> waiting -> critical -> idle. `fifo`: only the head of
 * the waiting queue may enter. Property P1Enters: waiting(p1) ~> critical(p1).
 */
export function mutexSpec(fifo: boolean, fairness: readonly FairnessDefinition[]): Spec<MutexState, { Procs: string[] }> {
  return defineSpec({
    name: fifo ? 'FifoMutex' : 'Mutex',
    constants: { Procs: PROCS },
    init: () => [Mutex({ pc: IMap(PROCS.map((p) => [p, 'idle'])), queue: List<string>() })],
    actions: {
      Request: {
        params: { p: PROCS },
        next: (s, { p }) => (s.pc.get(p as string) === 'idle' ? s.setIn(['pc', p], 'waiting').set('queue', s.queue.push(p as string)) : null),
      },
      Enter: {
        params: { p: PROCS },
        next: (s, { p }) => {
          if (s.pc.get(p as string) !== 'waiting') return null;
          if ([...s.pc.values()].includes('critical')) return null;
          if (fifo && s.queue.first() !== p) return null;
          return s.setIn(['pc', p], 'critical').set('queue', s.queue.filter((q) => q !== p));
        },
      },
      Exit: {
        params: { p: PROCS },
        next: (s, { p }) => (s.pc.get(p as string) === 'critical' ? s.setIn(['pc', p], 'idle') : null),
      },
    },
    invariants: {
      MutualExclusion: { description: 'at most one process is critical', holds: (s) => [...s.pc.values()].filter((x) => x === 'critical').length <= 1 },
    },
    properties: {
      P1Enters: {
        description: 'a waiting p1 eventually enters',
        leadsTo: { from: (s) => s.pc.get('p1') === 'waiting', to: (s) => s.pc.get('p1') === 'critical' },
      },
    },
    fairness,
  });
}
