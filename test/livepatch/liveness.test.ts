// L1 (transition-completes) on S6 of the rules document: a task sleeping in
// the function being patched, user task or kthread x interruptible or
// uninterruptible sleep, with and without the fake signal, reverse and force.
// Assumptions in kernel terms (src/livepatch/liveness.ts); `wake-up` is left
// out everywhere: the sleep lasts forever, which is S6's setup. Expected
// verdicts from the document's S6, argued per case below.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkWithLiveness } from '../../src/engine/liveness/checkLiveness.ts';
import type { CheckResult } from '../../src/engine/result.ts';
import { instantiate } from '../../src/engine/spec.ts';
import { livepatchSpec } from '../../src/livepatch/model.ts';
import type { Assumption } from '../../src/livepatch/liveness.ts';
import { loadScenario, parseScenario } from '../../src/spec/loadScenario.ts';
import { scenarioRun } from '../../src/cli/scenarioRun.ts';
import { unmet } from '../../src/livepatch/expectation.ts';
import { ASSUMPTIONS, TEMPORAL_PROPERTIES } from '../../src/livepatch/liveness.ts';
import { readFileSync } from 'node:fs';
import { isKlpError } from '../../src/engine/errors.ts';
import { lassoProblem } from '../support/lassoCheck.ts';

function s6(kind: 'user' | 'kthread', sleep: 'interruptible' | 'uninterruptible', anytime: string, sequence = 'enable P'): string {
  return [
    'title: S6 sleeping forever in f',
    'functions:',
    '  sys_read: [call f]',
    `  f: [sleep ${sleep}]`,
    'patches:',
    '  - name: P',
    '    replaces: [f]',
    'tasks:',
    `  - { name: T, kind: ${kind}, ${kind === 'user' ? 'syscalls: [sys_read]' : 'loop: [call f]'} }`,
    'admin:',
    `  sequence: [${sequence}]`,
    `  anytime: [${anytime}]`,
    'check: [transition-bookkeeping]',
    '',
  ].join('\n');
}

function run(yaml: string, assume: readonly Assumption[]): CheckResult {
  const model = instantiate(livepatchSpec(parseScenario(yaml, 's6-liveness.yaml'), { liveness: { properties: ['transition-completes'], assume } }));
  const r = checkWithLiveness(model);
  if (r.violation?.kind === 'liveness') assert.equal(lassoProblem(model, r.violation.trace, 'transition-completes'), undefined);
  return r;
}

const BASE: Assumption[] = ['periodic-worker', 'tasks-run'];

describe('S6 x L1: does the transition complete?', () => {
  it('(a) user, interruptible, signals: the fake signal unwinds the syscall, T switches at kernel exit: completes', () => {
    const r = run(s6('user', 'interruptible', 'signal'), [...BASE, 'signals']);
    assert.equal(r.verdict, 'ok');
    assert.deepEqual(r.liveness!.properties, ['transition-completes']);
  });
  it('(a) user, interruptible, no signal: T sleeps in f forever, never switched: never completes', () => {
    const r = run(s6('user', 'interruptible', ''), BASE);
    assert.equal(r.verdict, 'liveness');
    // Shortest lasso by hand: 4 steps (syscall, call f, sleep, enable P, in an
    // order where T enters f before switching), then stuttering: the worker's
    // klp_try_switch_task fails on the f@orig frame and nothing else is enabled.
    const steps = r.violation!.trace.steps;
    assert.equal(steps.length, 5);
    assert.deepEqual(steps.map((s) => s.action?.name ?? 'init').sort(), ['init', 'klp_enable_patch', 'klp_ftrace_handler', 'schedule', 'syscall']);
    assert.equal(r.violation!.trace.loopAction, undefined);
    const t = (steps[4]!.state as { tasks: { get(n: string): { sleep: string; stack: { last(): { fn: string; version: string } } } } }).tasks.get('T');
    assert.equal(t.sleep, 'interruptible');
    assert.deepEqual([t.stack.last().fn, t.stack.last().version], ['f', 'orig']);
  });
  it('(b) user, uninterruptible: no progress with or without signals (the signal does not wake a D-state task)', () => {
    assert.equal(run(s6('user', 'uninterruptible', 'signal'), [...BASE, 'signals']).verdict, 'liveness');
    assert.equal(run(s6('user', 'uninterruptible', ''), BASE).verdict, 'liveness');
  });
  it('(c) kthread, interruptible: the signal wakes it, its loop calls f and sleeps there again: no progress', () => {
    const r = run(s6('kthread', 'interruptible', 'signal'), [...BASE, 'signals']);
    assert.equal(r.verdict, 'liveness');
    // The cycle is real work (signal, return, call, sleep), not stuttering.
    assert.notEqual(r.violation!.trace.loopAction, undefined);
    assert.equal(run(s6('kthread', 'interruptible', ''), BASE).verdict, 'liveness');
  });
  it('(d) kthread, uninterruptible: no progress with or without signals', () => {
    assert.equal(run(s6('kthread', 'uninterruptible', 'signal'), [...BASE, 'signals']).verdict, 'liveness');
    assert.equal(run(s6('kthread', 'uninterruptible', ''), BASE).verdict, 'liveness');
  });
  it('reverse, kthread never switched (still UNPATCHED): completes once the admin reverses', () => {
    assert.equal(run(s6('kthread', 'uninterruptible', '', 'enable P, reverse'), [...BASE, 'admin-acts']).verdict, 'ok');
    // Without assuming the admin acts, the reverse may never be written.
    assert.equal(run(s6('kthread', 'uninterruptible', '', 'enable P, reverse'), BASE).verdict, 'liveness');
  });
  it('reverse, user task: T may switch in user mode, then sleep forever in f@P, which the reverse now needs: never completes', () => {
    const r = run(s6('user', 'uninterruptible', '', 'enable P, reverse'), [...BASE, 'admin-acts']);
    assert.equal(r.verdict, 'liveness');
    const names = r.violation!.trace.steps.map((s) => s.action?.label ?? 'init');
    assert.ok(names.includes('klp_try_switch_task("T")') && names.includes('klp_reverse_transition'), names.join(' '));
  });
  it('force: every pending task is switched, the transition completes (I1 is lost: see s6-force.yaml)', () => {
    assert.equal(run(s6('user', 'uninterruptible', '', 'enable P, force'), [...BASE, 'admin-acts']).verdict, 'ok');
    assert.equal(run(s6('kthread', 'uninterruptible', '', 'enable P, force'), [...BASE, 'admin-acts']).verdict, 'ok');
  });
  it('the fairness is shown in kernel terms, one condition per task', () => {
    const r = run(s6('user', 'interruptible', ''), BASE);
    assert.ok(r.violation!.temporal!.fairness.includes('SF(klp_try_switch_task("T"))'));
    assert.ok(!r.violation!.temporal!.fairness.some((f) => f.startsWith('WF(try_to_wake_up')));
  });
});

describe('S6 scenario files (specs/livepatch/s6-liveness*.yaml): every run meets its expect', () => {
  const files = ['s6-liveness.yaml', 's6-liveness-d-state.yaml', 's6-liveness-kthread.yaml', 's6-liveness-kthread-d-state.yaml'];
  for (const file of files) {
    it(file, () => {
      const sc = loadScenario(`specs/livepatch/${file}`);
      assert.deepEqual(sc.assume, ['periodic-worker', 'tasks-run', 'signals', 'admin-acts']);
      for (const variant of [undefined, ...sc.variants.map((v) => v.name)]) {
        const run = scenarioRun(sc, variant);
        const r = checkWithLiveness(instantiate(run.spec));
        assert.equal(unmet(r, run.scenario!.expect!), undefined, `${file} ${variant ?? 'base'}`);
        // Every run checked the temporal property, whatever its verdict.
        assert.deepEqual(r.liveness?.properties ?? [r.violation?.temporal?.name], ['transition-completes']);
      }
    });
  }
});

describe('scenario files: assume and temporal names in the loader and the schema', () => {
  const yaml = (extra: string): string => s6('user', 'interruptible', 'signal').replace('check: [transition-bookkeeping]', `check: [L1]\n${extra}`);
  it('an alias in check, an unknown assumption with its line and column (KLP204)', () => {
    assert.deepEqual(parseScenario(yaml('assume: [tasks-run]'), 'x.yaml').check, ['transition-completes']);
    try {
      parseScenario(yaml('assume: [tasks-run, sunshine]'), 'x.yaml');
      assert.fail('no error');
    } catch (e) {
      assert.ok(isKlpError(e));
      assert.equal(e.code, 'KLP204');
      assert.match(e.message, /unknown assumption "sunshine"/);
      // Line 14 (after the 13 lines of the scenario), column 21.
      assert.deepEqual([e.location?.line, e.location?.col], [14, 21]);
    }
  });
  it('the schema lists the same temporal properties and assumptions as the code', () => {
    const schema = JSON.parse(readFileSync(new URL('../../src/spec/spec.schema.json', import.meta.url), 'utf8'));
    assert.deepEqual(schema.$defs.temporalPropertyName.enum, TEMPORAL_PROPERTIES.map((p) => p.name));
    assert.deepEqual(schema.$defs.temporalPropertyAlias.enum, TEMPORAL_PROPERTIES.map((p) => p.alias));
    assert.deepEqual(schema.properties.assume.items.enum, ASSUMPTIONS.map((a) => a.name));
  });
});
