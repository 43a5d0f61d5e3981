// Random simulation (klpcheck simulate): figures on hand-countable specs,
// reproducibility from the seed, replay of one behaviour, and the CLI's
// exit codes (a simulation without violation is incomplete, exit 14).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Record } from 'immutable';
import { randomStream } from '../../src/engine/random.ts';
import { simulate } from '../../src/engine/simulate.ts';
import { defineSpec, instantiate } from '../../src/engine/spec.ts';
import counter from '../support/counterSpec.ts';
import { runCli } from '../support/runCli.ts';

const X = Record({ x: 0 });
type X = ReturnType<typeof X>;
/** One behaviour only: x counts up by one forever; the invariant fails at x = 5. */
const line = defineSpec({
  name: 'Line',
  constants: {},
  init: () => [X()],
  actions: { Inc: (s: X) => s.set('x', s.x + 1) },
  invariants: { BelowFive: { description: 'x stays below 5', holds: (s) => s.x < 5 } },
});

describe('simulate', () => {
  it('a one-path model: the violation at x = 5 is 6 states long whatever the seed', () => {
    for (const seed of [0, 1, 12345]) {
      const r = simulate(instantiate(line), { seed, depth: 100, runs: 10 });
      assert.equal(r.violation?.kind, 'invariant');
      assert.equal(r.violation!.run, 0);
      assert.equal(r.violation!.trace.steps.length, 6);
      // 1 initial state + 5 successors computed on the way (x = 1..5).
      assert.equal(r.generated, 6);
    }
  });

  it('no violation within the depth: every behaviour walks D steps; figures by hand', () => {
    const r = simulate(instantiate(line), { seed: 3, depth: 3, runs: 10 });
    assert.equal(r.violation, undefined);
    assert.equal(r.runs, 10);
    assert.equal(r.longest, 3);
    // 1 initial state, then 10 behaviours x 3 successors; the states x = 0..3 are distinct.
    assert.equal(r.generated, 1 + 10 * 3);
    assert.equal(r.distinct, 4);
  });

  it('a state without successors is a deadlock when deadlock is checked', () => {
    // The counter stops at N = 10: a behaviour of up to 100 steps always reaches it.
    const r = simulate(instantiate(counter), { seed: 9, depth: 100, runs: 5 });
    assert.equal(r.violation?.kind, 'deadlock');
    assert.equal(r.violation!.trace.steps.at(-1)!.state.get('n'), 10);
    const quiet = simulate(instantiate(counter, { checkDeadlock: false }), { seed: 9, depth: 100, runs: 5 });
    assert.equal(quiet.violation, undefined);
    assert.equal(quiet.distinct, 11);
  });

  it('is reproducible from the seed, and --run replays exactly the violating behaviour', () => {
    const model = instantiate(counter, { invariants: ['BelowSeven'], checkDeadlock: false });
    const a = simulate(model, { seed: 77, depth: 20, runs: 200 });
    const b = simulate(model, { seed: 77, depth: 20, runs: 200 });
    assert.ok(a.violation !== undefined);
    assert.deepEqual(a.violation.trace.steps.map((s) => s.action?.label), b.violation!.trace.steps.map((s) => s.action?.label));
    assert.equal(a.generated, b.generated);
    const replay = simulate(model, { seed: 77, depth: 20, runs: 1, only: a.violation.run });
    assert.deepEqual(replay.violation!.trace.steps.map((s) => s.state.get('n')), a.violation.trace.steps.map((s) => s.state.get('n')));
  });

  it('finds a violation that needs three lucky choices in a row (chance of missing it in 1,000 runs: (7/8)^1000 < 1e-57)', () => {
    const P = Record({ k: 0, lucky: true });
    const spec = defineSpec({
      name: 'Luck',
      constants: {},
      init: () => [P()],
      actions: { Pick: { params: { good: [true, false] }, next: (s: ReturnType<typeof P>, p: { good: boolean }) => (s.k < 3 ? s.merge({ k: s.k + 1, lucky: s.lucky && p.good }) : undefined) } },
      invariants: { NotAllLucky: { description: 'never three good picks in a row', holds: (s) => !(s.k === 3 && s.lucky) } },
      checkDeadlock: false,
    });
    const r = simulate(instantiate(spec), { seed: 2026, depth: 10, runs: 1000 });
    assert.equal(r.violation?.invariant?.name, 'NotAllLucky');
    assert.equal(r.violation!.trace.steps.length, 4);
  });

  it('the generator is uniform enough: 60,000 draws below 6 land 10,000 +- 5% in each bucket', () => {
    const random = randomStream(42, 0);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60000; i++) counts[random.below(6)]!++;
    for (const c of counts) assert.ok(Math.abs(c - 10000) < 500, String(counts));
  });
});

describe('klpcheck simulate', () => {
  it('a violation: exit 12, the behaviour, and a replay command that gives the same behaviour', () => {
    const r = runCli(['simulate', 'specs/examples/diehard.ts', '--seed', '1', '--runs', '200', '--depth', '30']);
    assert.equal(r.code, 12);
    const replay = /^Replay: npx klpcheck (simulate .*)$/m.exec(r.stdout);
    assert.ok(replay !== null, r.stdout);
    assert.match(r.stdout, /^Error: Invariant NotSolved is violated in behaviour \d+ \(seed 1\)\.$/m);
    const again = runCli(replay[1]!.split(' '));
    assert.equal(again.code, 12);
    const trace = (out: string): string => out.slice(out.indexOf('State 1:'), out.indexOf('Replay:'));
    assert.equal(trace(again.stdout), trace(r.stdout));
  });

  it('no violation: exit 14, and it says a simulation is no proof', () => {
    const r = runCli(['simulate', 'specs/examples/diehard.ts', '--invariant', 'TypeOK', '--seed', '5', '--runs', '20', '--depth', '10']);
    assert.equal(r.code, 14);
    assert.match(r.stdout, /^No violation found in 20 random behaviours of up to 10 steps\.$/m);
    assert.match(r.stdout, /it does not explore every reachable state/);
  });

  it('bad numbers are one usage error, exit 2', () => {
    const r = runCli(['simulate', 'specs/examples/diehard.ts', '--depth', '0']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.split('\n')[0], 'error KLP301: --depth takes a whole number of at least 1, got 0');
  });
});
