// The ported tlaplus/Examples models must give exactly the figures TLC 2.18
// reports for them (distinct states / states generated / depth), which the
// issue lists (PaxosCommit: the Examples repository's manifest); a violated
// invariant must give the shortest trace length.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import chameneos from '../../specs/examples/chameneos.ts';
import diehard from '../../specs/examples/diehard.ts';
import disruptor from '../../specs/examples/disruptor-mpmc.ts';
import lamport from '../../specs/examples/lamport-mutex.ts';
import paxosCommit from '../../specs/examples/paxos-commit.ts';
import twophase from '../../specs/examples/twophase.ts';
import { checkSpec } from '../support/checkSpec.ts';

describe('tlaplus/Examples ports match TLC', () => {
  it('DieHard with TypeOK: 16 distinct / 97 generated / depth 8', () => {
    const r = checkSpec(diehard, { invariants: ['TypeOK'] });
    assert.equal(r.verdict, 'ok');
    assert.deepEqual([r.stats.distinct, r.stats.generated, r.stats.depth, r.stats.queueLeft], [16, 97, 8, 0]);
  });

  it('DieHard with NotSolved: violated, shortest trace 7 states, big = 4 at the end', () => {
    const r = checkSpec(diehard, { invariants: ['TypeOK', 'NotSolved'] });
    assert.equal(r.verdict, 'invariant');
    assert.equal(r.violation?.invariant?.name, 'NotSolved');
    const steps = r.violation!.trace.steps;
    assert.equal(steps.length, 7);
    assert.equal(steps[6]!.state.big, 4);
    assert.equal(steps[0]!.action, undefined);
  });

  it('TwoPhase, RM = {r1, r2, r3}: 288 / 1,146 / 11', () => {
    const r = checkSpec(twophase);
    assert.equal(r.verdict, 'ok');
    assert.deepEqual([r.stats.distinct, r.stats.generated, r.stats.depth], [288, 1146, 11]);
  });

  it('Chameneos, N = 4, M = 4: 34,534 / 104,697 / 13', () => {
    const r = checkSpec(chameneos);
    assert.equal(r.verdict, 'ok');
    assert.deepEqual([r.stats.distinct, r.stats.generated, r.stats.depth], [34534, 104697, 13]);
  });

  it('Disruptor_MPMC with its CONSTRAINT: 112,929 / 422,781 / 81', () => {
    const r = checkSpec(disruptor);
    assert.equal(r.verdict, 'ok');
    assert.deepEqual([r.stats.distinct, r.stats.generated, r.stats.depth], [112929, 422781, 81]);
  });

  it('LamportMutex, N = 3, maxClock = 6, ClockConstraint: 724,274 / 2,729,079 / 61', () => {
    const r = checkSpec(lamport);
    assert.equal(r.verdict, 'ok');
    assert.deepEqual([r.stats.distinct, r.stats.generated, r.stats.depth], [724274, 2729079, 61]);
    // The seen-set budget: at most 24 bytes per distinct state, parent links included.
    assert.ok(r.stats.seenSetBytes / r.stats.distinct <= 24, `${r.stats.seenSetBytes / r.stats.distinct} bytes per state`);
  });

  // Figures from tlaplus/Examples specifications/transaction_commit/manifest.json
  // (TLC's distinctStates / totalStates / stateDepth for PaxosCommit.cfg).
  it('PaxosCommit, RM = {r1, r2}, 3 acceptors, Ballot = {0, 1}: 1,321,761 / 16,959,159 / 28', () => {
    const r = checkSpec(paxosCommit);
    assert.equal(r.verdict, 'ok');
    assert.deepEqual([r.stats.distinct, r.stats.generated, r.stats.depth], [1321761, 16959159, 28]);
  });
});
