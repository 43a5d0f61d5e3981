// kGraft's two ways out of a patching that does not converge (kgraft.ts):
// the fake signal kgr_work_fn() sends every task still in progress
// (kgr_send_fake_signal(), `anytime: [signal]`, assumption `signals`) and the
// forced finish (the admin's write of 0 to /sys/kernel/kgraft/in_progress,
// kgr_unmark_processes(), `force`). Every expected verdict is argued from how
// kGraft switches a task (at syscall entry and exit, at a kthread's
// kgr_task_safe()) and what the signal can and cannot do (it wakes an
// interruptible sleeper and kicks a task out of user space, never ends a
// D-state sleep); every lasso or trace length is counted by hand (n states =
// n - 1 steps). The S6 files are the bundled ones (specs/livepatch/).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scenarioRun } from '../../src/cli/scenarioRun.ts';
import { check } from '../../src/engine/bfs.ts';
import { isKlpError } from '../../src/engine/errors.ts';
import type { CheckResult } from '../../src/engine/result.ts';
import { instantiate } from '../../src/engine/spec.ts';
import { unmet } from '../../src/livepatch/expectation.ts';
import { livepatchSpec } from '../../src/livepatch/model.ts';
import { loadScenario, parseScenario } from '../../src/spec/loadScenario.ts';
import { runBundled, traceLabels } from '../support/bundledRun.ts';

const sorted = (xs: readonly string[]): string[] => [...xs].sort();

describe('S6 (a): user task asleep (interruptible) for ever in f, under kGraft (s6-liveness.yaml)', () => {
  const FILE = 's6-liveness.yaml';
  it('with the fake signal: converges', () => {
    // After kgr_modify_kernel T is in progress, and wherever it is it gets
    // out: in user space the signal (WF) kicks it through the slow exit path;
    // running in the kernel it reaches its sleep in f (tasks-run); asleep
    // interruptibly the signal wakes it, sys_read unwinds and T switches at
    // exit_to_user_mode (WF). Once T is in the new universe kgr_finalize (WF)
    // completes.
    assert.equal(runBundled(FILE, 'kgraft').verdict, 'ok');
  });
  it('without it: T may stay in user space in the old universe for ever, 2-state lasso', () => {
    // init, kgr_modify_kernel; then only syscall (under no assumption) is enabled: stuttering.
    const r = runBundled(FILE, 'kgraft-no-signal');
    assert.deepEqual(traceLabels(r), ['init', 'kgr_modify_kernel("P")']);
    assert.equal(r.violation!.trace.loopAction, undefined);
  });
  it('forced finish: converges (kgr_unmark_processes, then kgr_finalize)', () => {
    assert.equal(runBundled(FILE, 'kgraft-force').verdict, 'ok');
  });
});

describe('S6 (b): user task asleep (D state) for ever in f, under kGraft (s6-liveness-d-state.yaml)', () => {
  const FILE = 's6-liveness-d-state.yaml';
  it('with the fake signal: never, 5-state lasso (the sleep began before the patching)', () => {
    // The last state must have nothing fair enabled: T in user space and in
    // progress would get the signal, T running would run. So T sleeps in f in
    // the old universe: it entered sys_read before kgr_modify_kernel (a
    // later syscall switches it at entry). syscall, call f, schedule (3) and
    // kgr_modify_kernel after the syscall (1): init + 4 = 5 states.
    const r = runBundled(FILE, 'kgraft');
    const l = traceLabels(r);
    assert.deepEqual(sorted(l), sorted(['init', 'syscall("T", "sys_read")', 'klp_ftrace_handler("T", "f")', 'schedule("T")', 'kgr_modify_kernel("P")']));
    assert.ok(l.indexOf('kgr_modify_kernel("P")') > l.indexOf('syscall("T", "sys_read")'));
  });
  it('without it: 2-state lasso (T idles in user space)', () => {
    assert.deepEqual(traceLabels(runBundled(FILE, 'kgraft-no-signal')), ['init', 'kgr_modify_kernel("P")']);
  });
  it('forced finish: converges', () => assert.equal(runBundled(FILE, 'kgraft-force').verdict, 'ok'));
});

describe('S6 (c): kthread asleep (interruptible) for ever in f, under kGraft (s6-liveness-kthread.yaml)', () => {
  const FILE = 's6-liveness-kthread.yaml';
  it('with the fake signal: converges, unlike upstream', () => {
    // wake_up_process() wakes T whenever it sleeps in f in progress (WF); T
    // returns from f and its loop starts over, so it is at the top of its
    // loop, in progress, infinitely often, and kgr_task_safe() (SF) switches
    // it. Upstream never converges here: T's loop top is no switch point
    // there and the worker only ever finds T running or asleep in f@orig.
    assert.equal(runBundled(FILE, 'kgraft').verdict, 'ok');
  });
  it('without it: T sleeps in f for ever, 4-state lasso', () => {
    // T calls f and sleeps (2 steps), kgr_modify_kernel (1) anywhere among
    // them: T at the top of its loop in progress once does not oblige
    // kgr_task_safe (strong fairness needs infinitely often). init + 3 = 4.
    const r = runBundled(FILE, 'kgraft-no-signal');
    assert.deepEqual(sorted(traceLabels(r)), sorted(['init', 'klp_ftrace_handler("T", "f")', 'schedule("T")', 'kgr_modify_kernel("P")']));
  });
  it('forced finish: converges', () => assert.equal(runBundled(FILE, 'kgraft-force').verdict, 'ok'));
});

describe('S6 (d): kthread asleep (D state) for ever in f, under kGraft (s6-liveness-kthread-d-state.yaml)', () => {
  const FILE = 's6-liveness-kthread-d-state.yaml';
  it('with the fake signal: never (a D-state kthread woken by wake_up_process() sleeps on), 4-state lasso', () => {
    // As (c) without the signal: call f, schedule, kgr_modify_kernel in some order: init + 3 = 4.
    const r = runBundled(FILE, 'kgraft');
    assert.deepEqual(sorted(traceLabels(r)), sorted(['init', 'klp_ftrace_handler("T", "f")', 'schedule("T")', 'kgr_modify_kernel("P")']));
  });
  it('forced finish: converges', () => assert.equal(runBundled(FILE, 'kgraft-force').verdict, 'ok'));
});

describe('forced finish while T is inside f@orig (s6-force.yaml)', () => {
  it('kgraft: I1 violated in 5 states, as upstream force', () => {
    // T enters sys_read in the old universe (kgr_modify_kernel after the
    // syscall, else the entry switches it), calls f@orig (before or after
    // the modify: T dispatches to the original either way), and the admin's
    // write to in_progress puts T in the new universe with an f@orig frame:
    // syscall, kgr_modify_kernel, call f, kgr_unmark_processes = 4 steps, 5 states.
    const run = scenarioRun(loadScenario('specs/livepatch/s6-force.yaml'), 'kgraft');
    const r = check(instantiate(run.spec));
    assert.equal(unmet(r, run.scenario!.expect!), undefined);
    const l = traceLabels(r);
    assert.deepEqual(sorted(l), sorted(['init', 'syscall("T", "sys_read")', 'kgr_modify_kernel("P")', 'klp_ftrace_handler("T", "f")', 'kgr_unmark_processes']));
    assert.equal(l[4], 'kgr_unmark_processes');
    assert.ok(l.indexOf('kgr_modify_kernel("P")') > l.indexOf('syscall("T", "sys_read")'));
  });
  it('kgraft without force, with the signal: safe', () => {
    const run = scenarioRun(loadScenario('specs/livepatch/s6-force.yaml'), 'kgraft-no-force');
    assert.equal(check(instantiate(run.spec)).verdict, 'ok');
  });
});

describe('a forced revert: kGraft marks nothing forced, so the module goes while T runs its code', () => {
  const REVERT = [
    'title: forced revert',
    'functions:',
    '  sys_read: [call f]',
    '  f: [sleep uninterruptible]',
    'patches:',
    '  - { name: P, replaces: [f] }',
    'tasks:',
    '  - { name: T, kind: user, syscalls: [sys_read] }',
    'admin: [enable P, disable P, force]',
    'check: [free-safety]',
    '',
  ].join('\n');
  const run = (model: string): CheckResult => check(instantiate(livepatchSpec(parseScenario(REVERT, 'x.yaml'), { rules: { model } })));
  it('kgraft: free-safety violated in 8 states', () => {
    // P must first be applied with T in its code: kgr_modify_kernel(P)
    // (enable), T's syscall after it (entry switch: new universe),
    // kgr_finalize, T calls f@P (before or after the finalize) = 4 steps;
    // then the revert: kgr_modify_kernel(P) (T in progress, holding f@P; T
    // can leave that universe only by returning to user space, which drops
    // the frame), kgr_unmark_processes, kgr_finalize frees P (not forced) = 3
    // steps. 7 steps, 8 states.
    const r = run('kgraft');
    assert.equal(r.verdict, 'invariant');
    assert.equal(r.violation!.invariant!.name, 'free-safety');
    const l = traceLabels(r);
    assert.equal(l.length, 8);
    assert.deepEqual(l.slice(5), ['kgr_modify_kernel("P")', 'kgr_unmark_processes', 'kgr_finalize']);
  });
  it('upstream: klp_force_transition() marks P forced, its module is never freed: safe', () => {
    assert.equal(run('upstream').verdict, 'ok');
  });
});

describe('which admin steps kGraft has', () => {
  const yaml = (admin: string): string =>
    ['title: t', 'functions: { sys_read: [call f], f: [] }', 'patches: [{ name: P, replaces: [f] }]', 'tasks: [{ name: T, kind: user, syscalls: [sys_read] }]', admin, 'check: [PS]', ''].join('\n');
  it('force and signal are accepted', () => {
    const spec = livepatchSpec(parseScenario(yaml('admin: { sequence: [enable P, force], anytime: [force, signal] }'), 'x.yaml'), { rules: { model: 'kgraft' } });
    assert.ok('kgr_unmark_processes' in spec.definition.actions && 'kgr_send_fake_signal' in spec.definition.actions);
  });
  it('reverse is refused (KLP220): kGraft cannot revert a patching in progress', () => {
    assert.throws(
      () => livepatchSpec(parseScenario(yaml('admin: { sequence: [enable P], anytime: [reverse, signal] }'), 'x.yaml'), { rules: { model: 'kgraft' } }),
      (e: unknown) => isKlpError(e) && e.code === 'KLP220' && e.message === 'model kgraft does not model the anytime admin action reverse',
    );
  });
});
