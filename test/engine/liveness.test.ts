// Liveness with known answers: stuttering, WF vs none, WF vs SF, a FIFO mutex
// that is fair by construction. Every counterexample is also checked by
// test/support/lassoCheck.ts, which replays it on the model alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkWithLiveness } from '../../src/engine/liveness/checkLiveness.ts';
import { instantiate, type FairnessDefinition, type InstantiateOptions, type Spec } from '../../src/engine/spec.ts';
import type { StateLike } from '../../src/engine/value.ts';
import type { Constants } from '../../src/engine/spec.ts';
import { lassoProblem } from '../support/lassoCheck.ts';
import { counterSpec, mutexSpec } from '../support/liveSpecs.ts';
import { isKlpError } from '../../src/engine/errors.ts';

function run<S extends StateLike, C extends Constants>(spec: Spec<S, C>, opts: InstantiateOptions = {}) {
  const model = instantiate(spec, opts);
  const result = checkWithLiveness(model);
  if (result.violation?.kind === 'liveness') {
    assert.equal(lassoProblem(model, result.violation.trace, result.violation.temporal!.name), undefined);
  }
  return result;
}

const WF = (action: string, perParam = false): FairnessDefinition => ({ kind: 'weak', action, perParam });
const SF = (action: string, perParam = false): FairnessDefinition => ({ kind: 'strong', action, perParam });

describe('liveness: a counter that may stutter', () => {
  it('without fairness, <>Done fails by stuttering in the initial state', () => {
    const r = run(counterSpec([]), { properties: ['Done'] });
    assert.equal(r.verdict, 'liveness');
    // TLA+: Init /\ [][Next]_vars allows stuttering forever at pc = 0: the
    // shortest lasso is the initial state alone, looping on itself.
    assert.equal(r.violation!.trace.steps.length, 1);
    assert.equal(r.violation!.trace.loop, 0);
    assert.equal(r.violation!.trace.loopAction, undefined);
    assert.equal(r.violation!.temporal!.name, 'Done');
  });
  it('under WF(Step), <>Done holds', () => {
    const r = run(counterSpec([WF('Step')]), { properties: ['Done'] });
    assert.equal(r.verdict, 'ok');
    // 3 states pc = 0, 1, 2 and the 2 Step edges between them.
    assert.equal(r.liveness!.states, 3);
    assert.equal(r.liveness!.edges, 2);
    assert.deepEqual(r.liveness!.fairness, ['WF(Step)']);
  });
  it('[]<>(pc = 0) fails even under WF(Step): pc = 2 stutters forever', () => {
    const r = run(counterSpec([WF('Step')]), { properties: ['OftenZero'] });
    assert.equal(r.verdict, 'liveness');
    // Step is disabled at pc = 2, so stuttering there is fair: lasso 0 -> 1 -> 2, stutter.
    assert.deepEqual(r.violation!.trace.steps.map((s) => (s.state as { pc: number }).pc), [0, 1, 2]);
    assert.equal(r.violation!.trace.loop, 2);
  });
  it('a 30,001-state chain: no recursion in the SCC search (a recursive Tarjan overflows the JS stack here)', () => {
    const r = run(counterSpec([WF('Step')]), { properties: ['Done'], constants: { N: 30000 } });
    assert.equal(r.verdict, 'ok');
    // pc = 0..30000: 30,001 states, 30,000 Step edges.
    assert.equal(r.liveness!.states, 30001);
    assert.equal(r.liveness!.edges, 30000);
    // []<>(pc = 0) fails: the lasso walks the whole chain to the stuttering end.
    const bad = run(counterSpec([WF('Step')]), { properties: ['OftenZero'], constants: { N: 30000 } });
    assert.equal(bad.violation!.trace.steps.length, 30001);
  });
  it('--no-liveness skips the pass', () => {
    const r = checkWithLiveness(instantiate(counterSpec([])), { liveness: false });
    assert.equal(r.verdict, 'ok');
    assert.equal(r.liveness, undefined);
  });
  it('[] selects no temporal property', () => {
    const r = run(counterSpec([]), { properties: [] });
    assert.equal(r.verdict, 'ok');
    assert.equal(r.liveness, undefined);
  });
});

describe('liveness: mutex with overtaking (WF vs SF)', () => {
  const exitFair = WF('Exit', true);
  it('without fairness p1 starves: the shortest lasso is Request(p1), then stuttering', () => {
    const r = run(mutexSpec(false, []));
    assert.equal(r.verdict, 'liveness');
    // Hand count: init, Request(p1) makes p1 waiting (the P of ~>), stutter.
    assert.equal(r.violation!.trace.steps.length, 2);
    assert.equal(r.violation!.trace.steps[1]!.action!.label, 'Request("p1")');
    assert.equal(r.violation!.trace.loop, 1);
  });
  it('WF(Enter) over both processes: p2 may enter forever while p1 waits', () => {
    const r = run(mutexSpec(false, [exitFair, WF('Enter')]));
    assert.equal(r.verdict, 'liveness');
    // The cycle must take Enter(p2) (WF(Enter) is enabled at p1-waiting states).
    const cycle = r.violation!.trace.steps.slice(r.violation!.trace.loop! + 1).map((s) => s.action!.label);
    cycle.push(r.violation!.trace.loopAction!.label);
    assert.ok(cycle.includes('Enter("p2")'), cycle.join(' '));
  });
  it('WF(Enter(p)) per process is still not enough: Enter(p1) is disabled whenever p2 is critical', () => {
    const r = run(mutexSpec(false, [exitFair, WF('Enter', true)]));
    assert.equal(r.verdict, 'liveness');
  });
  it('SF(Enter(p)) per process: p1 enters', () => {
    const r = run(mutexSpec(false, [exitFair, SF('Enter', true)]));
    assert.equal(r.verdict, 'ok');
  });
  it('SF(Enter) over both processes is not enough: taking Enter(p2) satisfies it', () => {
    const r = run(mutexSpec(false, [exitFair, SF('Enter')]));
    assert.equal(r.verdict, 'liveness');
  });
  it('without fairness on Exit, p2 may stay critical forever', () => {
    const r = run(mutexSpec(false, [SF('Enter', true)]));
    assert.equal(r.verdict, 'liveness');
    assert.equal(r.violation!.trace.loopAction, undefined, 'the cycle is stuttering in the critical section');
  });
});

describe('liveness: FIFO mutex (fair by construction)', () => {
  it('starvation only without fairness', () => {
    assert.equal(run(mutexSpec(true, [])).verdict, 'liveness');
    assert.equal(run(mutexSpec(true, [WF('Exit', true)])).verdict, 'liveness');
    // Enter is enabled only for the head of the queue, continuously until taken.
    assert.equal(run(mutexSpec(true, [WF('Exit', true), WF('Enter')])).verdict, 'ok');
  });
  it('the safety verdict comes first: an invariant violation is reported, not liveness', () => {
    // pc = 2 breaks Small; <>Done also fails without fairness, but safety is checked first.
    const r = checkWithLiveness(instantiate(counterSpec([]), { invariants: ['Small'] }));
    assert.equal(r.verdict, 'invariant');
    assert.equal(r.liveness, undefined);
  });
});

describe('liveness: bad input', () => {
  const code = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (e) {
      return isKlpError(e) ? e.code : 'not a KlpError';
    }
    return undefined;
  };
  it('unknown property, unknown fairness action', () => {
    assert.equal(code(() => instantiate(counterSpec([]), { properties: ['Nope'] })), 'KLP120');
    assert.equal(code(() => instantiate(counterSpec([WF('Jump')]))), 'KLP122');
  });
});
