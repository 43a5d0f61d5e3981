// `check` on a scenario prints the narrated trace by default (ADR 0011): no
// line of the default output wider than 100 columns, on every bundled
// scenario and every one of its variants (a TLC state line of a scenario was
// 586 columns). A TypeScript spec keeps TLC's output under the same default.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { checkCommand, defaultCheckArgs } from '../../src/cli/checkCommand.ts';
import { loadScenario } from '../../src/spec/loadScenario.ts';

async function run(spec: string, variant?: string, format: 'text' | 'tlc' = 'text'): Promise<{ code: number; text: string }> {
  let text = '';
  const args = defaultCheckArgs(spec, { format, ...(variant !== undefined ? { variant } : {}) });
  const code = await checkCommand(args, { out: (t) => (text += t), err: () => undefined, isErrTty: false, colour: false });
  return { code, text };
}

describe('check on a scenario: narrated by default', () => {
  it('no default output line wider than 100 columns, on every bundled scenario and variant', async () => {
    const files = readdirSync('specs/livepatch').filter((f) => f.endsWith('.yaml')).map((f) => `specs/livepatch/${f}`);
    let runs = 0;
    let violations = 0;
    for (const file of files) {
      for (const variant of [undefined, ...loadScenario(file).variants.map((v) => v.name)]) {
        const r = await run(file, variant);
        runs++;
        if (r.code === 12 || r.code === 13) violations++;
        for (const line of r.text.split('\n')) assert.ok(line.length <= 100, `${file} ${variant ?? ''}: ${line.length} columns: ${line}`);
        assert.doesNotMatch(r.text, /^\/\\ /m, `${file} ${variant ?? ''}: TLC dump in the default output`);
      }
    }
    // 19 files; S1: base + 9 cells, S1a: 2, S2: 3, S3: 3, S3b: 3, S4: 6, S5: 5, S5 band-aid: 4,
    // S6 force: 4, S7: 2, S8: 1, S10: 2 (45); S6 liveness: 4 files x 4 + 11 kGraft = 27; S6
    // outside the patch: 5 + 4 = 9; S13: 5. 45 + 27 + 9 + 5 = 86 (test/cli/scenario.test.ts).
    assert.equal(runs, 86);
    assert.ok(violations > 0, 'some run must show a narrated trace');
  });

  it('--format tlc keeps the TLC dump (and its long lines) for those who want it', async () => {
    const r = await run('specs/livepatch/s2-immediate.yaml', undefined, 'tlc');
    assert.equal(r.code, 12);
    assert.match(r.text, /^State 8: <klp_try_switch_task\("T"\)>$/m);
    assert.match(r.text, /^\/\\ funcStack = /m);
  });

  it('a TypeScript spec keeps TLC\'s text under the default format', async () => {
    const r = await run('test/fixtures/suite/counter.ts');
    // Counter, N = 10: deadlock at 10 after 0,2,4,6,8 (hand count in test/support/counterSpec.ts).
    assert.equal(r.code, 11);
    assert.match(r.text, /^State 6: <Step\(2\)>$/m);
    assert.match(r.text, /^Error: Deadlock reached\.$/m);
  });

  it('a liveness scenario names its temporal properties and assumptions, and tells a lasso in kernel terms', async () => {
    // S6 (a) without the fake signal: T sleeps interruptibly in f@orig forever;
    // the shortest lasso is syscall, call f, sleep, enable P, then stuttering
    // (hand-derived in test/livepatch/liveness.test.ts): 5 states.
    const bad = await run('specs/livepatch/s6-liveness.yaml', 'no-signal');
    assert.equal(bad.code, 13);
    assert.match(bad.text, /^Temporal: transition-completes$/m);
    assert.match(bad.text, /^Assumed: periodic-worker, tasks-run, signals, admin-acts$/m);
    assert.match(bad.text, /^Error: Temporal property transition-completes is violated: a fair run never gets there\.$/m);
    assert.match(bad.text, /^=> {2}5 {2}admin enables P$/m);
    assert.doesNotMatch(bad.text, /^ +6 /m);
    assert.match(bad.text, /^then nothing more happens: step 5 repeats forever\./m);
    // With the signal the syscall unwinds and T switches at kernel exit: L1 holds.
    const good = await run('specs/livepatch/s6-liveness.yaml');
    assert.equal(good.code, 0);
    assert.match(good.text, /^transition-completes holds assuming periodic-worker, tasks-run, signals, admin-acts \(/m);
    assert.match(good.text, /every fair cycle searched\)\.$/m);
  });
});
