// The engine's side of partial-order reduction (SpecDefinition.partialOrder,
// Model.ample, the successor loop of bfs.ts): the ample set alone is expanded
// while it leads only to states deeper than the one expanded; a deadlock is
// still found (C0: an ample set is never empty when something is enabled);
// the cycle proviso (C3) keeps a process that never gets an ample set from
// being ignored for ever. The expected counts are worked out by hand below.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Record as ImmutableRecord } from 'immutable';
import { check } from '../../src/engine/bfs.ts';
import { defineSpec, instantiate } from '../../src/engine/spec.ts';
import { checkWithLiveness } from '../../src/engine/liveness/checkLiveness.ts';

const Counters = ImmutableRecord({ a: 0, b: 0 });
type S = ReturnType<typeof Counters>;
const procs = ['p1', 'p2'] as const;

/** Two processes counting to 3 each, independently; the end (3, 3) is a deadlock. */
const counters = (por: boolean) =>
  defineSpec<S, Record<string, never>>({
    name: 'counters',
    constants: {},
    init: () => [Counters()],
    actions: {
      step: {
        params: { p: procs },
        next: (s, p) => (p.p === 'p1' ? (s.a < 3 ? s.set('a', s.a + 1) : null) : s.b < 3 ? s.set('b', s.b + 1) : null),
      },
    },
    invariants: { bounded: { description: 'a + b <= 6', holds: (s) => s.a + s.b <= 6 } },
    properties: { ends: { description: 'a reaches 3', eventually: (s) => s.a === 3 } },
    fairness: [{ kind: 'weak', action: 'step', perParam: true }],
    ...(por ? { partialOrder: { process: (_a, params) => String(params[0]), ample: (s) => (s.a < 3 ? 'p1' : s.b < 3 ? 'p2' : undefined) } } : {}),
  });

/** p1 cycles 0 -> 1 -> 2 -> 0 invisibly and is always offered as ample; p2 counts b up, and b = 2 violates. */
const ignoring = defineSpec<S, Record<string, never>>({
  name: 'ignoring',
  constants: {},
  init: () => [Counters()],
  actions: {
    step: { params: { p: procs }, next: (s, p) => (p.p === 'p1' ? s.set('a', (s.a + 1) % 3) : s.b < 2 ? s.set('b', s.b + 1) : null) },
  },
  invariants: { small: { description: 'b < 2', holds: (s) => s.b < 2 } },
  checkDeadlock: false,
  partialOrder: { process: (_a, params) => String(params[0]), ample: () => 'p1' },
});

describe('ample sets in the breadth-first search', () => {
  it('independent counters: one interleaving of 7 states instead of the 16 of the grid, and the deadlock is still found', () => {
    const full = check(instantiate(counters(false)));
    const reduced = check(instantiate(counters(true)));
    // Full: every (a, b) in 0..3 x 0..3 = 16 states. Reduced: p1 alone to (3, 0), then p2 alone to (3, 3): 7 states.
    assert.equal(full.stats.distinct, 16);
    assert.equal(reduced.stats.distinct, 7);
    assert.equal(reduced.partialOrder, true);
    assert.equal(full.partialOrder, undefined);
    assert.equal(full.verdict, 'deadlock');
    assert.equal(reduced.verdict, 'deadlock');
    // The deadlock trace of the reduced graph is as long as the shortest: 6 steps from (0, 0) to (3, 3).
    assert.equal(reduced.violation!.trace.steps.length, 7);
    assert.ok(Counters({ a: 3, b: 3 }).equals(reduced.violation!.trace.steps.at(-1)!.state));
  });

  it('the cycle proviso: a process that is never ample still moves, so b = 2 is found', () => {
    // Without C3 the search would loop on p1's cycle 0 -> 1 -> 2 -> 0 and store 3 states.
    // With it: (2, b) leads back to (0, b), of smaller depth, so (2, b) is expanded fully and p2 moves.
    // The trace is a real behaviour of the reduced graph, 6 steps where the shortest (p2 twice) has 2.
    const r = check(instantiate(ignoring));
    assert.equal(r.verdict, 'invariant');
    assert.equal(r.violation!.invariant!.name, 'small');
    assert.deepEqual(r.violation!.trace.steps.map((st) => st.action?.label ?? 'init'), ['init', 'step("p1")', 'step("p1")', 'step("p2")', 'step("p1")', 'step("p1")', 'step("p2")']);
  });

  it('cycleFree: the engine trusts the spec and skips its proviso (here a false promise: p2 is ignored)', () => {
    const liar = defineSpec({ ...ignoring.definition, partialOrder: { ...ignoring.definition.partialOrder!, cycleFree: true } });
    const r = check(instantiate(liar));
    // Only p1's cycle (0, 0) -> (1, 0) -> (2, 0) -> (0, 0) is explored: why the livepatch spec proves it (ADR 0018).
    assert.equal(r.verdict, 'ok');
    assert.equal(r.stats.distinct, 3);
    const counted = check(instantiate(defineSpec({ ...counters(true).definition, partialOrder: { ...counters(true).definition.partialOrder!, cycleFree: true } })));
    assert.equal(counted.stats.distinct, 7); // a true promise: the counters only count up
  });

  it('the liveness pass explores the full graph (16 states), not the reduced one', () => {
    const r = checkWithLiveness(instantiate(counters(true)), { liveness: true });
    // The safety search ends in the deadlock, so the liveness pass does not run; without the deadlock check it does.
    assert.equal(r.verdict, 'deadlock');
    const m = instantiate(counters(true), { checkDeadlock: false });
    const live = checkWithLiveness(m);
    assert.equal(live.verdict, 'ok');
    assert.equal(live.stats.distinct, 7);
    assert.equal(live.liveness!.states, 16);
  });
});
