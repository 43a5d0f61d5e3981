// A spec whose steps are slow in worker threads only, for a search that ends
// while a worker thread is still expanding chunks (test/engine/workers.test.ts).
// Level 1: n = 0. Spread(i) gives n = 1 for i = 0..99 (level 2, 100 states;
// the main thread lingers 1.5 s the first time, time for a worker thread to
// load the model and join). Advance gives n = 2 (level 3), 5 ms a step in a
// worker thread. The invariant fails on n = 2, i = 0: the first successor of
// level 2's first chunk, which the main thread's searcher expands; the
// search ends then, the worker thread's chunks (16 states, 80 ms each) still
// in flight.
import { Record } from 'immutable';
import { isMainThread } from 'node:worker_threads';
import { defineSpec } from '../../src/engine/spec.ts';

const S = Record({ n: 0, i: -1 });
type S = ReturnType<typeof S>;

let lingered = false;

function linger(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

export default defineSpec({
  name: 'SlowInWorkers',
  constants: {},
  init: () => [S()],
  actions: {
    Spread: {
      params: { i: Array.from({ length: 100 }, (_, i) => i) },
      next: (s: S, p: { i: number }) => {
        if (s.n !== 0) return undefined;
        if (isMainThread && !lingered) {
          lingered = true;
          linger(1500);
        }
        return S({ n: 1, i: p.i });
      },
    },
    Advance: (s: S) => {
      if (s.n !== 1) return undefined;
      if (!isMainThread) linger(5);
      return s.set('n', 2);
    },
  },
  invariants: {
    NotFirst: { description: 'n = 2 with i = 0 is never reached', holds: (s: S) => !(s.n === 2 && s.i === 0) },
  },
  checkDeadlock: false,
});
