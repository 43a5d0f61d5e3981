// L1 under the four consistency models (rule `model`), on S6's setup moved
// outside the patch: a task asleep forever in g, which P does not touch,
// after it has called f, which P replaces. Expected verdicts from how each
// model switches (docs/livepatch-model.md "Consistency models"), argued per
// case; lasso lengths counted by hand. park-all's freezer holds each task at
// its freezing point (src/livepatch/freezer.ts): its lassos need the freeze
// started, and two tasks that never meet at their safe points no longer
// stall it. Also: the fairness assumptions cover every action of every model
// (src/livepatch/liveness.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkWithLiveness } from '../../src/engine/liveness/checkLiveness.ts';
import type { CheckResult } from '../../src/engine/result.ts';
import { instantiate } from '../../src/engine/spec.ts';
import { ASSUMPTIONS } from '../../src/livepatch/liveness.ts';
import { livepatchSpec } from '../../src/livepatch/model.ts';
import { parseScenario } from '../../src/spec/loadScenario.ts';
import { lassoProblem } from '../support/lassoCheck.ts';
import { runBundled, traceLabels } from '../support/bundledRun.ts';
import type { LivepatchState } from '../../src/livepatch/state.ts';


describe('a user task asleep forever outside the patch (s6-liveness-outside-patch.yaml)', () => {
  const FILE = 's6-liveness-outside-patch.yaml';
  it('upstream: T is checked in user space or asleep in g, no frame of f: completes (L1\'s condition holds for T)', () => {
    assert.equal(runBundled(FILE, undefined).verdict, 'ok');
  });
  it('kgraft: T is switched only at syscall entry or exit; it may stay in user space for ever: never converges, 2-state lasso', () => {
    // init (T in user space), kgr_modify_kernel marks T in progress; then
    // nothing fair is enabled (a user task need not make a system call;
    // kgr_finalize waits for T): stuttering. 2 states.
    const r = runBundled(FILE, 'kgraft');
    assert.deepEqual(traceLabels(r), ['init', 'kgr_modify_kernel("P")']);
    assert.equal(r.violation!.trace.loopAction, undefined);
  });
  it('kpatch: no stack holds f while T is in user space or asleep in g: stop_machine applies P', () => {
    assert.equal(runBundled(FILE, 'kpatch').verdict, 'ok');
  });
  it('kgraft with the fake signal: T no longer idles in user space unswitched, but a D-state sleep entered before the patching stays: never, 7-state lasso', () => {
    // The lasso must end where nothing fair is enabled. T in user space and
    // in progress: kgr_send_fake_signal(T) (WF) would switch it; T running in
    // the kernel: its own steps (WF). So T sleeps in g, in progress: it
    // entered sys_poll before kgr_modify_kernel (a syscall after it clears
    // the flag at entry). Steps: syscall, call f, ret, call g, schedule (5)
    // and kgr_modify_kernel after the syscall (1): init + 6 = 7 states; the
    // signal does not end an uninterruptible sleep (signal_wake_up() wakes
    // only TASK_INTERRUPTIBLE), so the last state stutters.
    const r = runBundled(FILE, 'kgraft-signal');
    const l = traceLabels(r);
    assert.equal(l.length, 7);
    assert.deepEqual(l.slice().sort(), ['init', 'kgr_modify_kernel("P")', 'klp_ftrace_handler("T", "f")', 'klp_ftrace_handler("T", "g")', 'ret("T")', 'schedule("T")', 'syscall("T", "sys_poll")'].sort());
    assert.ok(l.indexOf('kgr_modify_kernel("P")') > l.indexOf('syscall("T", "sys_poll")'));
    assert.equal(r.violation!.trace.loopAction, undefined);
  });
  it('park-all: once T sleeps in the kernel it never reaches its freezing point: the freeze waits for ever, 7-state lasso', () => {
    // The request is outstanding from the start. The lasso must end where
    // nothing fair is enabled: freeze_processes (WF, enabled while no freeze
    // runs) must have fired; T in user space during the freeze is held and
    // try_to_freeze(T) (WF) would freeze it, and once T is frozen
    // stop_machine (WF) would apply P; T running in the kernel has its own
    // steps (WF). So T sleeps in g and the freeze is on. T cannot enter
    // sys_poll once the freeze holds it in user space, so the syscall comes
    // first: syscall, call f, ret, call g, schedule (5) and freeze_processes
    // (1, after the syscall): init + 6 = 7 states, then stuttering.
    const r = runBundled(FILE, 'park-all');
    const l = traceLabels(r);
    assert.equal(l.length, 7);
    assert.deepEqual(l.filter((x) => x !== 'freeze_processes("P")'), ['init', 'syscall("T", "sys_poll")', 'klp_ftrace_handler("T", "f")', 'ret("T")', 'klp_ftrace_handler("T", "g")', 'schedule("T")']);
    assert.ok(l.indexOf('freeze_processes("P")') > 1);
    assert.equal(r.violation!.temporal!.formula, 'Requested # NONE ~> Requested = NONE');
  });
});

describe('a kthread asleep forever outside the patch (s6-liveness-kthread-outside-patch.yaml)', () => {
  const FILE = 's6-liveness-kthread-outside-patch.yaml';
  it('upstream: the worker checks K asleep in g (stack: its loop frame and g): completes', () => {
    assert.equal(runBundled(FILE, undefined).verdict, 'ok');
  });
  it('kgraft: K never gets back to kgr_task_safe() at the top of its loop: never converges, 6-state lasso', () => {
    // K: call f, ret, call g, sleep (4 steps), kgr_modify_kernel (1 step), in
    // some order: init + 5 = 6 states, then stuttering.
    const r = runBundled(FILE, 'kgraft');
    assert.equal(r.violation!.trace.steps.length, 6);
    assert.deepEqual(traceLabels(r).slice().sort(), ['init', 'kgr_modify_kernel("P")', 'klp_ftrace_handler("K", "f")', 'klp_ftrace_handler("K", "g")', 'ret("K")', 'schedule("K")'].sort());
  });
  it('kpatch: no frame of f while K sleeps in g: completes', () => {
    assert.equal(runBundled(FILE, 'kpatch').verdict, 'ok');
  });
  it('park-all (L5): a freeze that starts after K left the top of its loop waits for ever: P never applied, 6-state lasso', () => {
    // A freeze started in the initial state holds K at the top of its loop
    // (its try_to_freeze()), freezes it, and stop_machine applies P: no
    // violation that way. So K calls f first, then returns, calls g and
    // sleeps there for ever (4 steps), and freeze_processes (WF: the last
    // state must have the freeze on) comes after the first call: init + 5 =
    // 6 states, then stuttering.
    const r = runBundled(FILE, 'park-all');
    const l = traceLabels(r);
    assert.equal(l.length, 6);
    assert.deepEqual(l.filter((x) => x !== 'freeze_processes("P")'), ['init', 'klp_ftrace_handler("K", "f")', 'ret("K")', 'klp_ftrace_handler("K", "g")', 'schedule("K")']);
    assert.ok(l.indexOf('freeze_processes("P")') > 1);
  });
});

/** A kthread whose loop calls f then sleeps in g and is woken again: it passes the top of its loop for ever. */
const PARKS = [
  'title: a kthread that keeps coming back to the top of its loop',
  'functions:',
  '  f: []',
  '  g: [sleep interruptible]',
  'patches:',
  '  - { name: P, replaces: [f] }',
  'tasks:',
  '  - { name: K, kind: kthread, loop: [call f, call g] }',
  'admin: [enable P]',
  'check: [transition-completes]',
  'assume: [periodic-worker, tasks-run, wake-up, admin-acts]',
  '',
].join('\n');

function live(yaml: string, model: string): CheckResult {
  const m = instantiate(livepatchSpec(parseScenario(yaml, 'x.yaml'), { rules: { model } }));
  return checkWithLiveness(m);
}

describe('the same kthread woken again: every model completes', () => {
  // K is at the top of its loop (parked; kgr_task_safe() point; no frame of
  // f) and asleep in g (clean for the stack check) infinitely often. Each
  // of those moments comes and goes, so completing needs the strong
  // fairness the assumptions give exactly there.
  for (const model of ['upstream', 'kgraft', 'kpatch', 'park-all']) {
    it(model, () => assert.equal(live(PARKS, model).verdict, 'ok'));
  }
  it('kpatch (L4): a task asleep for ever in f itself: P is never applied', () => {
    const yaml = PARKS.replace('g: [sleep interruptible]', 'g: []').replace('f: []', 'f: [sleep uninterruptible]').replace('wake-up, ', '');
    const r = live(yaml, 'kpatch');
    assert.equal(r.verdict, 'liveness');
    // K calls f and sleeps there: init + 2 = 3 states, stuttering.
    assert.deepEqual(traceLabels(r), ['init', 'klp_ftrace_handler("K", "f")', 'schedule("K")']);
  });
});

describe('park-all: the freezer holds tasks that reach their freezing points', () => {
  // Two kthreads that pass the top of their loops again and again (no sleep
  // at all). A freezer that only looked for a moment when both happen to be
  // at the top together could be dodged for ever (K1 at the top while K2 is
  // in f, then the other way round): a stall the real freezer does not have.
  // Under the model the freeze starts (WF freeze_processes), each kthread is
  // held at the top of its loop when it next gets there (tasks-run: it runs
  // on to the end of f and back), freezes (WF try_to_freeze) and stays, and
  // once both are frozen stop_machine (WF) applies P: L1 holds.
  const TWO = [
    'title: two kthreads that never meet at the top of their loops',
    'functions:',
    '  f: []',
    'patches:',
    '  - { name: P, replaces: [f] }',
    'tasks:',
    '  - { name: K1, kind: kthread, loop: [call f] }',
    '  - { name: K2, kind: kthread, loop: [call f] }',
    'admin: [enable P]',
    'check: [transition-completes]',
    'assume: [periodic-worker, tasks-run, admin-acts]',
    '',
  ].join('\n');
  it('two kthreads: completes', () => assert.equal(live(TWO, 'park-all').verdict, 'ok'));
  // Successors of a state by every enabled action instance, with labels.
  const step = (m: ReturnType<typeof instantiate<LivepatchState, Record<string, never>>>, s: LivepatchState): [string, LivepatchState][] =>
    m.actions.flatMap((a) => {
      const r = a.next(s);
      if (r === undefined || r === null || r === false) return [];
      return (Array.isArray(r) ? r : [r]).map((x: LivepatchState) => [a.label, x] as [string, LivepatchState]);
    });
  const twoModel = () => instantiate(livepatchSpec(parseScenario(TWO, 'x.yaml'), { rules: { model: 'park-all' } }));
  it('shortest application: freeze, both freeze at the top, stop_machine: 4 steps, and no 3 steps do it', () => {
    // Both kthreads start at the top of their loops: freeze_processes,
    // try_to_freeze(K1), try_to_freeze(K2), stop_machine applies P. Fewer
    // steps cannot: stop_machine needs the freeze started and both frozen,
    // one step each.
    const m = twoModel();
    const init = m.initStates()[0]!;
    let s = init;
    for (const label of ['freeze_processes("P")', 'try_to_freeze("K1")', 'try_to_freeze("K2")', 'stop_machine("P")']) {
      const next = step(m, s).find(([l]) => l === label);
      assert.ok(next !== undefined, label);
      s = next[1];
    }
    assert.equal(s.patches.get('P')!.status, 'enabled');
    assert.equal(s.freezing, false);
    assert.ok([...s.tasks.values()].every((t) => t.sleep === 'no'), 'thawed');
    let frontier = [init];
    for (let depth = 1; depth <= 3; depth++) {
      frontier = frontier.flatMap((x) => step(m, x).map(([, y]) => y));
      assert.ok(frontier.every((x) => x.patches.get('P')!.status !== 'enabled'), `applied in ${depth} steps`);
    }
  });
  it('a task at its freezing point during a freeze can only freeze; a frozen one does nothing', () => {
    const m = twoModel();
    const [, frozenStart] = step(m, m.initStates()[0]!).find(([l]) => l === 'freeze_processes("P")')!;
    // Before the freeze K1 could call f; now both can only enter the refrigerator.
    assert.deepEqual(step(m, frozenStart).map(([l]) => l).sort(), ['try_to_freeze("K1")', 'try_to_freeze("K2")']);
    const [, k1Frozen] = step(m, frozenStart).find(([l]) => l === 'try_to_freeze("K1")')!;
    assert.deepEqual(step(m, k1Frozen).map(([l]) => l), ['try_to_freeze("K2")']);
  });
});

describe('the fairness assumptions cover every action of every model', () => {
  // One scenario with every kind of step and task, so that no action is left out as inapplicable.
  const ALL = [
    'title: every action',
    'functions:',
    '  sys_a: [call f, preempt, cond_resched, fork, sleep]',
    '  f: [sleep freezable]',
    'patches:',
    '  - { name: P, replaces: [f] }',
    'tasks:',
    '  - { name: U, kind: user, syscalls: [sys_a], exits: true }',
    '  - { name: K, kind: kthread, loop: [call f] }',
    '  - { name: I, kind: idle }',
    '  - { max-forked: 1 }',
    'admin:',
    '  sequence: [enable P, disable P, reverse, force]',
    '  anytime: [signal]',
    'check: [transition-completes]',
    '',
  ].join('\n');
  // Left out on purpose: a user task need not make a system call (S6 (a)'s
  // "no signal" case depends on it), and wake-up and signals are assumptions
  // of their own, covered below.
  const NOT_ASSUMED = ['syscall'];
  const covered = new Set(ASSUMPTIONS.flatMap((a) => [...a.actions, ...a.strong]));
  for (const [model, fork] of [['upstream', 'copy-parent'], ['upstream', 'copy-parent-nonatomic'], ['kpatch', 'copy-parent'], ['kgraft', 'copy-parent'], ['park-all', 'copy-parent']] as const) {
    it(`${model}, fork=${fork}`, () => {
      const yaml = model === 'upstream' ? ALL : ALL.replace('  sequence: [enable P, disable P, reverse, force]\n  anytime: [signal]', '  sequence: [enable P, disable P]');
      const spec = livepatchSpec(parseScenario(yaml, 'x.yaml'), { rules: { model, fork } });
      const actions = [...new Set(instantiate(spec).actions.map((a) => a.action))];
      assert.deepEqual(actions.filter((a) => !covered.has(a) && !NOT_ASSUMED.includes(a)), []);
    });
  }
  it('kgraft with its fake signal and forced finish (anytime: [force, signal])', () => {
    const yaml = ALL.replace('  sequence: [enable P, disable P, reverse, force]\n  anytime: [signal]', '  sequence: [enable P, disable P]\n  anytime: [force, signal]');
    const actions = [...new Set(instantiate(livepatchSpec(parseScenario(yaml, 'x.yaml'), { rules: { model: 'kgraft' } })).actions.map((a) => a.action))];
    assert.ok(actions.includes('kgr_send_fake_signal') && actions.includes('kgr_unmark_processes'), actions.join(' '));
    assert.deepEqual(actions.filter((a) => !covered.has(a) && !NOT_ASSUMED.includes(a)), []);
  });
  it('with every assumption, every action but syscall is under some fairness condition', () => {
    const spec = livepatchSpec(parseScenario(ALL, 'x.yaml'), { liveness: { properties: ['transition-completes'], assume: ASSUMPTIONS.map((a) => a.name) } });
    const m = instantiate(spec);
    const fair = new Set(m.fairness.map((f) => f.label.replace(/^[WS]F\(([a-z_]+).*$/, '$1')));
    assert.deepEqual([...new Set(m.actions.map((a) => a.action))].filter((a) => !fair.has(a)), ['syscall']);
  });
});

describe('unpatching-completes (L3)', () => {
  const s6 = (kind: 'user' | 'kthread', sequence: string): string =>
    [
      'title: S6 reverse',
      'functions:',
      '  sys_read: [call f]',
      '  f: [sleep uninterruptible]',
      'patches:',
      '  - { name: P, replaces: [f] }',
      'tasks:',
      `  - { name: T, kind: ${kind}, ${kind === 'user' ? 'syscalls: [sys_read]' : 'loop: [call f]'} }`,
      `admin: [${sequence}]`,
      'check: [L3]',
      'assume: [periodic-worker, tasks-run, admin-acts]',
      '',
    ].join('\n');
  const l3 = (yaml: string, model = 'upstream'): CheckResult => {
    const m = instantiate(livepatchSpec(parseScenario(yaml, 'x.yaml'), { rules: { model } }));
    const r = checkWithLiveness(m);
    if (r.violation?.kind === 'liveness') assert.equal(lassoProblem(m, r.violation.trace, 'unpatching-completes'), undefined);
    return r;
  };
  it('kthread asleep for ever in f@orig, reversed: it never switched, it is at the new target: completes', () => {
    assert.equal(l3(s6('kthread', 'enable P, reverse')).verdict, 'ok');
  });
  it('user task switched in user space, then asleep for ever in f@P, reversed: f@P is what the reverse removes: never completes', () => {
    const r = l3(s6('user', 'enable P, reverse'));
    assert.equal(r.verdict, 'liveness');
    assert.equal(r.violation!.temporal!.name, 'unpatching-completes');
    const names = traceLabels(r);
    assert.ok(names.includes('klp_try_switch_task("T")') && names.includes('klp_reverse_transition'), names.join(' '));
  });
  it('kpatch: a disable while T sleeps for ever in f@P is never carried out (kpatch_remove_patch finds f on the stack)', () => {
    // Enable (no f on any stack yet: before or just after T enters
    // sys_read), T calls f@P, sleeps: 1 + 4 = 5 states, then stuttering with
    // `disable P` requested.
    const r = l3(s6('user', 'enable P, disable P'), 'kpatch');
    assert.equal(r.verdict, 'liveness');
    assert.deepEqual(traceLabels(r).slice(3), ['klp_ftrace_handler("T", "f")', 'schedule("T")']);
    assert.deepEqual(traceLabels(r).slice(1, 3).sort(), ['kpatch_apply_patch("P")', 'syscall("T", "sys_read")']);
  });
});
