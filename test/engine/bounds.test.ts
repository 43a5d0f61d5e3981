// Bounds, deadlock and constraint behave as documented. Every expected figure
// here is a hand count on the Counter spec (test/support/counterSpec.ts):
// from n, Step(1) and Step(2) lead to n+1 and n+2 while they stay <= N.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Record } from 'immutable';
import { check } from '../../src/engine/bfs.ts';
import { defineSpec, instantiate } from '../../src/engine/spec.ts';
import { exitCodeOf } from '../../src/engine/result.ts';
import counter from '../support/counterSpec.ts';

describe('deadlock', () => {
  it('is the state with no successor, N = 10 reached in 6 states (0,2,4,6,8,10)', () => {
    const r = check(instantiate(counter));
    assert.equal(r.verdict, 'deadlock');
    assert.equal(exitCodeOf(r.verdict), 11);
    const steps = r.violation!.trace.steps;
    assert.deepEqual(steps.map((s) => s.state.n), [0, 2, 4, 6, 8, 10]);
    assert.deepEqual(steps.slice(1).map((s) => s.action!.label), ['Step(2)', 'Step(2)', 'Step(2)', 'Step(2)', 'Step(2)']);
  });

  it('is not reported with checkDeadlock off: 11 states, 1 + 19 successors, depth 6', () => {
    // Successors: two from each of 0..8 (18), one from 9, none from 10.
    const r = check(instantiate(counter, { checkDeadlock: false }));
    assert.equal(r.verdict, 'ok');
    assert.deepEqual([r.stats.distinct, r.stats.generated, r.stats.depth], [11, 20, 6]);
    assert.deepEqual(r.coverage, [{ action: 'Step', generated: 19, distinct: 10 }]);
  });
});

describe('invariants', () => {
  it('a violation gives the shortest trace: 0,1,3,5,7, 5 states, the first found at level 5', () => {
    // Levels: {0} {1,2} {3,4} {5,6} {7,8}; 7 is first reached from 5 by Step(2),
    // 5 from 3, 3 from 1 (1 is expanded before 2).
    const r = check(instantiate(counter, { invariants: ['BelowSeven'], checkDeadlock: false }));
    assert.equal(r.verdict, 'invariant');
    assert.equal(exitCodeOf(r.verdict), 12);
    assert.deepEqual(r.violation!.trace.steps.map((s) => s.state.n), [0, 1, 3, 5, 7]);
  });
});

describe('bounds', () => {
  it('--max-depth 3 stops at depth 3, incomplete, exit 14', () => {
    const r = check(instantiate(counter, { checkDeadlock: false }), { maxDepth: 3 });
    assert.equal(r.verdict, 'incomplete');
    assert.equal(exitCodeOf(r.verdict), 14);
    assert.deepEqual(r.bound, { kind: 'max-depth', limit: 3 });
    // Depth 1: {0}; 2: {1,2}; 3: {3,4}; not expanded further.
    assert.deepEqual([r.stats.distinct, r.stats.depth, r.stats.queueLeft], [5, 3, 2]);
  });

  it('a depth bound at or beyond the real depth is not a bound', () => {
    const r = check(instantiate(counter, { checkDeadlock: false }), { maxDepth: 7 });
    assert.equal(r.verdict, 'ok');
  });

  it('--max-states stops once that many states are stored, incomplete', () => {
    const r = check(instantiate(counter, { checkDeadlock: false }), { maxStates: 4 });
    assert.equal(r.verdict, 'incomplete');
    assert.equal(r.bound?.kind, 'max-states');
    // Expanding 0 stores 1,2 (3 states); expanding 1 stores 3 (4 states): stop.
    assert.equal(r.stats.distinct, 4);
  });

  it('--timeout stops with the clock, incomplete', () => {
    let t = 0;
    const r = check(instantiate(counter, { checkDeadlock: false, constants: { N: 100_000 } }), { timeoutMs: 1000, now: () => (t += 10) });
    assert.equal(r.verdict, 'incomplete');
    assert.equal(r.bound?.kind, 'timeout');
    assert.ok(r.stats.distinct < 100_001);
  });
});

describe('constraint (TLC CONSTRAINT semantics)', () => {
  const Pos = Record({ n: 0 });
  type Pos = ReturnType<typeof Pos>;
  const spec = defineSpec({
    name: 'Constrained',
    constants: {},
    init: () => [Pos()],
    actions: { Inc: (s: Pos) => s.set('n', s.n + 1) },
    invariants: { Small: { description: 'n stays below 6', holds: (s) => s.n < 6 } },
    checkInvariants: [],
    constraint: (s) => s.n <= 3,
  });

  it('states outside it are generated but neither stored nor expanded: 4 distinct, 5 generated', () => {
    // 0,1,2,3 stored; 4 is generated from 3 and dropped. 3 has a successor, so no deadlock.
    const r = check(instantiate(spec));
    assert.equal(r.verdict, 'ok');
    assert.deepEqual([r.stats.distinct, r.stats.generated, r.stats.depth], [4, 5, 4]);
  });

  it('states outside it are still invariant-checked, as TLC does', () => {
    const tight = defineSpec({ ...spec.definition, invariants: { Small: { description: 'n stays below 4', holds: (s: Pos) => s.n < 4 } }, checkInvariants: ['Small'] });
    const r = check(instantiate(tight));
    assert.equal(r.verdict, 'invariant');
    assert.deepEqual(r.violation!.trace.steps.map((s) => s.state.n), [0, 1, 2, 3, 4]);
  });
});

describe('determinism', () => {
  it('the same run gives the same figures and the same trace', () => {
    const a = check(instantiate(counter, { invariants: ['BelowSeven'] }));
    const b = check(instantiate(counter, { invariants: ['BelowSeven'] }));
    assert.deepEqual(a.violation!.trace.steps.map((s) => s.action?.label), b.violation!.trace.steps.map((s) => s.action?.label));
    assert.deepEqual([a.stats.distinct, a.stats.generated], [b.stats.distinct, b.stats.generated]);
  });
});
