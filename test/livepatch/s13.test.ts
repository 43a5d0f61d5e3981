// S13 of docs/scenarios.md#s13: a CPU-bound kthread under the three kernel
// eras of rule sched-switch (where a running task may check and switch
// itself, __klp_sched_try_switch()). Expected verdicts from the kernel's
// behaviour, argued per case; lasso lengths counted by hand.
//
// The kernel facts used:
// - klp_try_switch_task() from the periodic worker never checks a task that
//   runs on a CPU (task_curr() -> -EBUSY), and a kthread never reaches
//   exit_to_user_mode(): before v6.4 nothing else switches it.
// - v6.4-v6.15: cond_resched() calls klp_sched_try_switch() while a
//   transition is in progress; it checks current's own stack with the
//   worker's rules (any frame of the version being replaced blocks).
// - v6.16 on: the hook is in __schedule() and runs only for a sleep with
//   TASK_FREEZABLE set (klp_sched_try_switch(curr) tests
//   curr->__state & TASK_FREEZABLE); cond_resched() switches nobody.
// - arch_stack_walk_reliable() with frame pointers fails on kernel-mode
//   pt_regs (a preempted task); ORC unwinds through them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scenarioRun } from '../../src/cli/scenarioRun.ts';
import { checkWithLiveness } from '../../src/engine/liveness/checkLiveness.ts';
import type { CheckResult } from '../../src/engine/result.ts';
import { instantiate, type Model } from '../../src/engine/spec.ts';
import { successorsOf } from '../../src/engine/successors.ts';
import { unmet } from '../../src/livepatch/expectation.ts';
import { livepatchSpec } from '../../src/livepatch/model.ts';
import type { LivepatchState } from '../../src/livepatch/state.ts';
import { loadScenario, parseScenario } from '../../src/spec/loadScenario.ts';
import { lassoProblem } from '../support/lassoCheck.ts';

const FILE = 'specs/livepatch/s13-cpu-bound-kthread.yaml';

function runVariant(variant: string | undefined): { r: CheckResult; model: Model<LivepatchState> } {
  const run = scenarioRun(loadScenario(FILE), variant);
  const model = instantiate(run.spec) as unknown as Model<LivepatchState>;
  const r = checkWithLiveness(model);
  assert.equal(unmet(r, run.scenario!.expect!), undefined, `${variant ?? 'base'}: ${r.verdict}`);
  if (r.violation?.kind === 'liveness') assert.equal(lassoProblem(model, r.violation.trace, 'transition-completes'), undefined);
  return { r, model };
}

const labels = (r: CheckResult): string[] => r.violation!.trace.steps.map((s) => s.action?.label ?? 'init');

// K's loop is deterministic: call work, call f, return from f, cond_resched,
// return from work, the loop starts over: a cycle of 6 states. Nothing else
// can move once P is enabled (the worker's klp_try_switch_task(K) is never
// enabled: K is always running). Shortest lasso: init, enable (1 step; K at
// the top of its loop), then the 6-state cycle back to that state: 7 states,
// closed by the loop's own ret(K).
const K_CYCLE = ['klp_ftrace_handler("K", "work")', 'klp_ftrace_handler("K", "f")', 'ret("K")', 'cond_resched("K")', 'ret("K")'];

describe('S13 CPU-bound kthread (specs/livepatch/s13-cpu-bound-kthread.yaml)', () => {
  it('before v6.4 (sched-switch=none): always running, -EBUSY for ever: never completes, 7-state lasso', () => {
    const { r } = runVariant(undefined);
    assert.equal(r.verdict, 'liveness');
    assert.equal(r.violation!.temporal!.name, 'transition-completes');
    assert.deepEqual(labels(r), ['init', 'klp_enable_patch("P")', ...K_CYCLE]);
    assert.equal(r.violation!.trace.loop, 1);
    assert.equal(r.violation!.trace.loopAction!.label, 'ret("K")');
  });
  it('v6.4-v6.15 (cond-resched): at cond_resched() f has returned, K\'s stack is clean, K switches itself: completes', () => {
    const { r } = runVariant('cond-resched');
    assert.equal(r.verdict, 'ok');
    assert.deepEqual(r.liveness!.properties, ['transition-completes']);
  });
  it('v6.4-v6.15, P replaces work(), the caller of cond_resched(): work@orig is on the stack at every cond_resched(): never completes', () => {
    // Same 7-state lasso as before v6.4: the hook runs but its check always fails (-EADDRINUSE).
    const { r } = runVariant('cond-resched-in-patched-function');
    assert.equal(r.verdict, 'liveness');
    assert.deepEqual(labels(r), ['init', 'klp_enable_patch("Pw")', ...K_CYCLE]);
  });
  it('v6.16 on (freezable-sleep): cond_resched() no longer switches and K never sleeps: never completes again', () => {
    const { r } = runVariant('freezable-sleep');
    assert.equal(r.verdict, 'liveness');
    assert.deepEqual(labels(r), ['init', 'klp_enable_patch("P")', ...K_CYCLE]);
  });
  it('v6.16 on, force: every pending task switched without a check: completes (the last resort)', () => {
    assert.equal(runVariant('freezable-sleep-force').r.verdict, 'ok');
  });
});

/** A kthread K whose loop is `body`, P replacing f, under the given era and unwinder. */
function kthread(body: string, era: string, unwinder = 'orc', functions = '  f: []'): string {
  return [
    'title: S13 kthread',
    `rules: { sched-switch: ${era}, unwinder: ${unwinder} }`,
    'functions:',
    functions,
    'patches:',
    '  - { name: P, replaces: [f] }',
    'tasks:',
    `  - { name: K, kind: kthread, loop: [${body}] }`,
    'admin: [enable P]',
    'check: [transition-completes]',
    '',
  ].join('\n');
}

function live(yaml: string, assume: string): { r: CheckResult; model: Model<LivepatchState> } {
  const sc = parseScenario(yaml.replace('check: [transition-completes]', `check: [transition-completes]\nassume: [${assume}]`), 's13.yaml');
  const model = instantiate(livepatchSpec(sc)) as Model<LivepatchState>;
  const r = checkWithLiveness(model);
  if (r.violation?.kind === 'liveness') assert.equal(lassoProblem(model, r.violation.trace, 'transition-completes'), undefined);
  return { r, model };
}

/** The states reachable by following the labels from the initial state (the first successor each time). */
function walk(model: Model<LivepatchState>, path: readonly string[]): LivepatchState {
  let s = model.initStates()[0]!;
  for (const label of path) {
    const a = model.actions.find((x) => x.label === label);
    assert.ok(a !== undefined, `no action ${label}`);
    const next = successorsOf(a.next(s));
    assert.equal(next.length, 1, `${label} not enabled`);
    s = next[0]!;
  }
  return s;
}

describe('S13: the other ways a kthread leaves the CPU', () => {
  const BASE = 'periodic-worker, tasks-run, admin-acts';
  it('v6.16 on: a freezable sleep with a clean stack switches K in __schedule() itself', () => {
    const { model } = live(kthread('call f, sleep freezable', 'freezable-sleep'), `${BASE}, wake-up`);
    // enable P, call f (f@orig: K is unswitched), return: K's stack is its loop frame only; the sleep switches it.
    const s = walk(model, ['klp_enable_patch("P")', 'klp_ftrace_handler("K", "f")', 'ret("K")', 'schedule("K")']);
    assert.deepEqual([s.tasks.get('K')!.patchState, s.tasks.get('K')!.pending, s.tasks.get('K')!.sleep], ['PATCHED', false, 'interruptible']);
    assert.equal(live(kthread('call f, sleep freezable', 'freezable-sleep'), `${BASE}, wake-up`).r.verdict, 'ok');
  });
  it('before v6.16 the same sleep does not switch K by itself (the worker has to find it asleep)', () => {
    const { model } = live(kthread('call f, sleep freezable', 'cond-resched'), `${BASE}, wake-up`);
    const s = walk(model, ['klp_enable_patch("P")', 'klp_ftrace_handler("K", "f")', 'ret("K")', 'schedule("K")']);
    assert.deepEqual([s.tasks.get('K')!.patchState, s.tasks.get('K')!.pending], ['UNPATCHED', true]);
  });
  it('v6.16 on: a freezable sleep inside f (f@orig on the stack) does not switch: never completes', () => {
    // K: call f; f sleeps freezable; woken; returns; loop. Every sleep is
    // inside f@orig, so both the hook and the worker fail (-EADDRINUSE).
    // Lasso: init, enable (K at the top of its loop), then the cycle's other
    // states: in f, asleep in f, woken in f, f returned; the loop's ret steps
    // back to the top. 1 + 1 + 4 = 6 states.
    const { r } = live(kthread('call f', 'freezable-sleep', 'orc', '  f: [sleep freezable]'), `${BASE}, wake-up`);
    assert.equal(r.verdict, 'liveness');
    assert.equal(r.violation!.trace.steps.length, 6);
  });
  it('before v6.4, preemptible kernel: K preempted at a clean point: frame-pointer unwinder says unreliable, ORC lets the worker switch it', () => {
    // K: call f, then a preemption point in its loop frame (f has returned).
    const path = ['klp_enable_patch("P")', 'klp_ftrace_handler("K", "f")', 'ret("K")', 'preempt_schedule_irq("K")'];
    const fp = live(kthread('call f, preempt', 'none', 'reliable'), 'periodic-worker, tasks-run, admin-acts');
    const orc = live(kthread('call f, preempt', 'none', 'orc'), 'periodic-worker, tasks-run, admin-acts');
    const check = (m: Model<LivepatchState>): number => successorsOf(m.actions.find((a) => a.label === 'klp_try_switch_task("K")')!.next(walk(m, path))).length;
    // FP (unwinder=reliable): kernel-mode pt_regs on the stack -> -EINVAL.
    assert.equal(check(fp.model), 0);
    // ORC unwinds through the interrupt frame: clean, K is switched.
    assert.equal(check(orc.model), 1);
    // Either way the transition may never complete: nothing makes the
    // interrupt come at that point (tasks-run lets K run past it, and the
    // tick need not preempt a task alone on its CPU). Lasso: init, enable
    // (K at the top of its loop), then the cycle's other states: in f, f
    // returned, past the preemption point (preempt_point); the loop's ret
    // steps back to the top. 1 + 1 + 3 = 5 states.
    for (const r of [fp.r, orc.r]) {
      assert.equal(r.verdict, 'liveness');
      assert.equal(r.violation!.trace.steps.length, 5);
    }
  });
});
