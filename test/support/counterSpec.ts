// A tiny hand-countable spec for bound, deadlock and constraint tests: a
// counter that steps by +1 or +2 from 0 up to a ceiling N and then stops.
// States 0..N: N + 1 distinct; from k < N-1 two successors, from N-1 one.
import { Record } from 'immutable';
import { defineSpec } from '../../src/engine/spec.ts';

const Counter = Record({ n: 0 });
export type Counter = ReturnType<typeof Counter>;

export default defineSpec({
  name: 'Counter',
  constants: { N: 10 },
  init: () => [Counter()],
  actions: {
    Step: { params: { by: [1, 2] }, next: (s: Counter, p: { by: number }, c) => (s.n + p.by <= c.N ? s.set('n', s.n + p.by) : undefined) },
  },
  invariants: {
    BelowSeven: { description: 'the counter never reaches 7', holds: (s) => s.n !== 7 },
  },
  checkInvariants: [],
});
