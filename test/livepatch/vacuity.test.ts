// Vacuity in livepatch scenarios: each way a "safe" verdict can be hollow
// yields its exact warning (the fixtures under test/fixtures/vacuity say why
// in their comments), and no bundled scenario expected safe is hollow.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { check } from '../../src/engine/bfs.ts';
import { checkWithLiveness } from '../../src/engine/liveness/checkLiveness.ts';
import type { CheckResult } from '../../src/engine/result.ts';
import { instantiate } from '../../src/engine/spec.ts';
import { scenarioRun } from '../../src/cli/scenarioRun.ts';
import { unmet, verdictText } from '../../src/livepatch/expectation.ts';
import { PROPERTIES } from '../../src/livepatch/properties.ts';
import { loadScenario } from '../../src/spec/loadScenario.ts';

function run(file: string, variant?: string): CheckResult {
  return check(instantiate(scenarioRun(loadScenario(file), variant).spec));
}

describe('vacuity warnings of a scenario', () => {
  it('check: [] warns KLP501', () => {
    const r = run('test/fixtures/vacuity/unchecked.yaml');
    assert.equal(r.verdict, 'ok');
    assert.deepEqual(r.warnings, [{ code: 'KLP501', message: 'no property is checked (no invariant, and deadlock checking is off): "no error" says nothing' }]);
  });

  it('an admin step that waits forever (enable P2 while P1 can never complete) warns KLP502, with what depends on it', () => {
    const r = run('test/fixtures/vacuity/unreachable-step.yaml');
    assert.equal(r.verdict, 'ok');
    assert.deepEqual(r.warnings, [
      { code: 'KLP502', message: 'admin step 2 (enable P2) is never reached' },
      { code: 'KLP502', message: "the completion of P1's transition is never reached" },
      { code: 'KLP502', message: "the start of P2's transition is never reached" },
      { code: 'KLP502', message: "the completion of P2's transition is never reached" },
    ]);
  });

  it('a replaced function no task calls warns KLP502', () => {
    const r = run('test/fixtures/vacuity/never-called.yaml');
    assert.deepEqual(r.warnings, [{ code: 'KLP502', message: 'a call of g while a patch of it is on its func stack is never reached' }]);
  });

  it('free-safety with no patch ever freed warns KLP503', () => {
    const r = run('test/fixtures/vacuity/premise-never.yaml');
    assert.deepEqual(r.warnings, [{ code: 'KLP503', message: 'free-safety checked nothing: its premise (a patch module is freed) never holds' }]);
  });

  it('every property states a premise, so that none can pass vacuously unseen', () => {
    // Caller-level properties are bound to a scenario's declarations first (S4's callers, S5's formats).
    const scenario = loadScenario('specs/livepatch/s5-data-semantics.yaml');
    const bound = PROPERTIES.map((p) => p.bind?.(scenario) ?? p);
    assert.deepEqual(bound.filter((p) => p.premise === undefined || p.premiseText === undefined).map((p) => p.name), []);
  });

  it('a vacuous run does not meet "expect: safe", and reads so', () => {
    const r = run('test/fixtures/vacuity/unchecked.yaml');
    assert.equal(verdictText(r), 'safe (vacuous: 1 warning)');
    assert.equal(unmet(r, { verdict: 'safe' }), 'expected safe, got safe (vacuous: 1 warning)');
  });
});

describe('bundled scenarios', () => {
  // Each of them means its admin steps to happen, its patches' transitions to
  // start and complete, its patched functions to be called, and chose
  // properties that apply: a run expected safe must carry no warning.
  for (const name of readdirSync('specs/livepatch').filter((f) => f.endsWith('.yaml')).sort()) {
    const file = `specs/livepatch/${name}`;
    const scenario = loadScenario(file);
    for (const variant of [undefined, ...scenario.variants.map((v) => v.name)]) {
      const expect = variant === undefined ? scenario.expect : scenario.variants.find((v) => v.name === variant)!.expect;
      if (expect?.verdict !== 'safe') continue;
      it(`${name}${variant ? ` [${variant}]` : ''}: safe, no warning`, () => {
        // With the liveness pass: a check list of temporal properties only is a check too.
        const r = checkWithLiveness(instantiate(scenarioRun(scenario, variant).spec));
        assert.equal(r.verdict, 'ok');
        assert.deepEqual(r.warnings, []);
      });
    }
  }
});

describe('vacuity of the liveness scenarios', () => {
  const live = (file: string, variant?: string, liveness = true): CheckResult =>
    checkWithLiveness(instantiate(scenarioRun(loadScenario(file), variant).spec), { liveness });
  const KLP501 = { code: 'KLP501', message: 'no property is checked (no invariant, and deadlock checking is off): "no error" says nothing' };
  // A declared temporal property the run skipped is said too (KLP504).
  const KLP504 = { code: 'KLP504', message: 'temporal property transition-completes was not checked: the liveness pass was turned off (--no-liveness)' };

  it('a check list of temporal properties only is a check: no KLP501 once the liveness pass ran, KLP501 with --no-liveness', () => {
    // s6-liveness-outside-patch.yaml checks only transition-completes; upstream completes (test/livepatch/livenessModels.test.ts).
    assert.deepEqual(live('specs/livepatch/s6-liveness-outside-patch.yaml').warnings, []);
    assert.deepEqual(live('specs/livepatch/s6-liveness-outside-patch.yaml', undefined, false).warnings, [KLP501, KLP504]);
  });

  it('a transition that can complete on no path at all: the safety search alone says so (KLP502), the liveness pass gives the lasso', () => {
    // S13 before v6.4: K is never switched on any path (always running), so
    // no reachable state has P's transition completed.
    assert.deepEqual(live('specs/livepatch/s13-cpu-bound-kthread.yaml', undefined, false).warnings, [
      { code: 'KLP502', message: "the completion of P's transition is never reached" },
      KLP504,
    ]);
    const r = live('specs/livepatch/s13-cpu-bound-kthread.yaml');
    assert.equal(r.verdict, 'liveness');
    assert.equal(r.violation!.temporal!.name, 'transition-completes');
  });

  it('L1 where no transition ever starts holds of every behaviour: KLP503, so an expected "safe" is not met', () => {
    // The admin disables P, which was never enabled: enabled_store() returns
    // -EINVAL, nothing starts; "every started transition completes" is true
    // and says nothing.
    const sc = loadScenario('specs/livepatch/s6-liveness.yaml');
    const spec = scenarioRun({ ...sc, admin: { sequence: [{ kind: 'disable', patch: 'P' }], anytime: new Set() } }, undefined).spec;
    const r = checkWithLiveness(instantiate(spec));
    assert.equal(r.verdict, 'ok');
    assert.deepEqual(r.warnings, [
      { code: 'KLP503', message: 'transition-bookkeeping checked nothing: its premise (a transition is in progress) never holds' },
      { code: 'KLP503', message: 'transition-completes checked nothing: its premise (klp_transition_patch # NULL) never holds' },
    ]);
    assert.equal(unmet(r, { verdict: 'safe' }), 'expected safe, got safe, transition-completes holds (vacuous: 2 warnings)');
  });
});
