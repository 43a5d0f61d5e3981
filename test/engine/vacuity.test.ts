// Vacuity warnings (KLP501-503), the resumable search and the construction
// deadline, on a counter small enough to count by hand: from n, Step(1) and
// Step(2) lead to n+1 and n+2 while they stay <= N (N = 10: states 0..10,
// found in the BFS order 0; 1, 2; 3, 4; 5, 6; 7, 8; 9, 10).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Record } from 'immutable';
import { Explorer, check, checkAsync } from '../../src/engine/bfs.ts';
import { defineSpec, instantiate } from '../../src/engine/spec.ts';
import { exitCodeOfRun } from '../../src/engine/result.ts';

const Counter = Record({ n: 0 });
type Counter = ReturnType<typeof Counter>;

let coverCalls = 0;

const counter = defineSpec({
  name: 'CoveredCounter',
  constants: { N: 10 },
  init: () => [Counter()],
  actions: {
    Step: { params: { by: [1, 2] }, next: (s: Counter, p: { by: number }, c) => (s.n + p.by <= c.N ? s.set('n', s.n + p.by) : undefined) },
  },
  invariants: {
    AtMostN: { description: 'n <= N', holds: (s, c) => s.n <= c.N, premise: (s, c) => s.n >= c.N - 1, premiseText: 'n is N - 1 or N' },
    NotNegative: { description: 'n >= 0', holds: (s) => s.n >= 0, premise: (s) => s.n < 0, premiseText: 'n is negative' },
    BelowSeven: { description: 'n /= 7', holds: (s) => s.n !== 7 },
  },
  checkInvariants: ['AtMostN', 'NotNegative'],
  covers: {
    top: { description: 'n = N', holds: (s, c) => { coverCalls++; return s.n === c.N; } },
    beyond: { description: 'n = N + 1', holds: (s, c) => s.n === c.N + 1 },
  },
  checkDeadlock: false,
});

describe('vacuity warnings', () => {
  it('KLP502 for a cover never reached, KLP503 for a premise that never holds; reached ones are silent', () => {
    const r = check(instantiate(counter));
    assert.equal(r.verdict, 'ok');
    assert.deepEqual(r.warnings, [
      { code: 'KLP502', message: 'n = N + 1 is never reached' },
      { code: 'KLP503', message: 'NotNegative checked nothing: its premise (n is negative) never holds' },
    ]);
    assert.equal(exitCodeOfRun(r, false), 0);
    assert.equal(exitCodeOfRun(r, true), 15);
  });

  it('evaluates a cover only until it is first reached: n = 10 is the 11th state found', () => {
    coverCalls = 0;
    check(instantiate(counter));
    assert.equal(coverCalls, 11);
  });

  it('an incomplete run says "in the states explored"', () => {
    // --max-states 4: 0 expands to 1, 2; 1 expands to 2 (seen) and 3; four stored, stop.
    const r = check(instantiate(counter), { maxStates: 4 });
    assert.equal(r.verdict, 'incomplete');
    assert.deepEqual(r.warnings.map((w) => w.message), [
      'n = N is never reached in the states explored',
      'n = N + 1 is never reached in the states explored',
      'AtMostN checked nothing: its premise (n is N - 1 or N) never holds in the states explored',
      'NotNegative checked nothing: its premise (n is negative) never holds in the states explored',
    ]);
    assert.equal(exitCodeOfRun(r, true), 15);
  });

  it('KLP501 when no invariant is checked and deadlock checking is off', () => {
    const r = check(instantiate(counter, { invariants: [] }));
    assert.equal(r.verdict, 'ok');
    assert.deepEqual(r.warnings[0], { code: 'KLP501', message: 'no property is checked (no invariant, and deadlock checking is off): "no error" says nothing' });
    assert.equal(r.warnings.length, 2); // and the unreached cover n = N + 1
  });

  it('a violation carries no warnings, and its own exit code wins over --strict', () => {
    const r = check(instantiate(counter, { invariants: ['BelowSeven'] }));
    assert.equal(r.verdict, 'invariant');
    assert.deepEqual(r.warnings, []);
    assert.equal(exitCodeOfRun(r, true), 12);
  });
});

describe('resumable search', () => {
  it('in slices of 0 ms gives exactly the figures of one synchronous run (N = 1000: 1001 states)', async () => {
    const model = instantiate(counter, { constants: { N: 1000 } });
    const whole = check(model);
    const explorer = new Explorer(model);
    let pauses = 0;
    let r = explorer.run(0);
    while (r === 'paused') {
      pauses++;
      r = explorer.run(0);
    }
    // A pause is possible every 64 expanded states: 1001 states, 15 pauses.
    assert.equal(pauses, 15);
    assert.deepEqual([r.stats.distinct, r.stats.generated, r.stats.depth], [1001, 1999 + 1, 501]);
    assert.deepEqual([r.stats.distinct, r.stats.generated, r.stats.depth, r.verdict], [whole.stats.distinct, whole.stats.generated, whole.stats.depth, whole.verdict]);
    assert.deepEqual(r.coverage, whole.coverage);
    const a = await checkAsync(model, { sliceMs: 0 });
    assert.deepEqual(a.stats.distinct, 1001);
  });

  it('an interrupt ends the search at the next pause, incomplete (interrupted)', () => {
    const explorer = new Explorer(instantiate(counter, { constants: { N: 1000 } }));
    assert.equal(explorer.run(0), 'paused');
    explorer.interrupt('SIGINT');
    const r = explorer.run(0);
    assert.notEqual(r, 'paused');
    if (r === 'paused') return;
    assert.equal(r.verdict, 'incomplete');
    assert.deepEqual(r.bound, { kind: 'interrupted', limit: 0, signal: 'SIGINT' });
    // Paused after 64 expanded states (0..63), which found 0..65.
    assert.equal(r.stats.distinct, 66);
    assert.equal(exitCodeOfRun(r, false), 14);
  });
});

describe('--timeout while building the model', () => {
  it('stops spreading an endless Init, incomplete (timeout), before any state is stored', () => {
    let late = false;
    const endless = defineSpec({
      name: 'Endless',
      constants: {},
      *init() {
        for (let n = 0; ; n++) {
          if (n === 300) late = true;
          yield Counter({ n });
        }
      },
      actions: { Stay: (s: Counter) => s },
      invariants: { True: { description: 'true', holds: () => true } },
    });
    // The clock jumps past the deadline once 300 initial states were made.
    const r = check(instantiate(endless), { timeoutMs: 1000, now: () => (late ? 1e9 : 0) });
    assert.equal(r.verdict, 'incomplete');
    assert.deepEqual(r.bound, { kind: 'timeout', limit: 1000 });
    assert.equal(r.stats.distinct, 0);
  });

  it('stops expanding actions when asked; the search then ends at once', () => {
    const model = instantiate(counter, { shouldStop: () => true });
    assert.equal(model.constructionStopped, true);
    assert.equal(model.actions.length, 0);
    const r = check(model, { timeoutMs: 5000 });
    assert.equal(r.verdict, 'incomplete');
    assert.equal(r.bound?.kind, 'timeout');
    assert.equal(r.stats.distinct, 0);
  });
});
