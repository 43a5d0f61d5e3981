// The scenarios of docs/scenarios.md, each checked under
// the rules that matter, with the verdict that page gives and the length of
// the shortest counterexample derived by hand below (a trace of n states is
// n - 1 steps). Every count is the minimum number of steps the violation
// needs; BFS must find exactly that.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check } from '../../src/engine/bfs.ts';
import type { CheckResult } from '../../src/engine/result.ts';
import { instantiate } from '../../src/engine/spec.ts';
import { scenarioRun } from '../../src/cli/scenarioRun.ts';
import { loadScenario, parseScenario } from '../../src/spec/loadScenario.ts';

function run(file: string, variant?: string, rules: { [family: string]: string } = {}): CheckResult {
  return check(instantiate(scenarioRun(loadScenario(`specs/livepatch/${file}`), variant, rules).spec));
}

function violated(r: CheckResult, property: string, states: number): void {
  assert.equal(r.verdict, 'invariant', `expected ${property} violated, got ${r.verdict}`);
  assert.equal(r.violation!.invariant!.name, property);
  assert.equal(r.violation!.trace.steps.length, states);
}

/** Safe, and the actions that make the scenario meaningful did fire (a safe verdict from a spec whose interesting action never fires proves nothing). */
function safe(r: CheckResult, ...mustFire: string[]): void {
  assert.equal(r.verdict, 'ok', r.violation?.invariant?.detail ?? r.verdict);
  assert.equal(r.stats.queueLeft, 0);
  for (const action of ['klp_enable_patch', 'klp_complete_transition', ...mustFire]) {
    const c = r.coverage.find((x) => x.action === action);
    assert.ok(c !== undefined && c.generated > 0, `${action} never fired`);
  }
}

describe('S1: fork rule x child stack (frames-agree-with-dispatch)', () => {
  const cell = (fork: string, stack: string): CheckResult => run('s1-fork-matrix.yaml', undefined, { fork, 'child-stack': stack });
  // An empty child stack has no frame to disagree with: safe under every rule.
  it('goal / empty: safe', () => safe(cell('goal', 'empty'), 'copy_process'));
  it('initial / empty: safe', () => safe(cell('initial', 'empty'), 'copy_process'));
  it('copy-parent / empty: safe (today\'s kernel)', () => safe(cell('copy-parent', 'empty'), 'copy_process'));
  // Violation with the parent unswitched: 1 init, 2 enable P, 3 parent enters
  // sys_clone, 4 calls kernel_clone (UNPATCHED: orig), 5 forks; the child is
  // PATCHED with a kernel_clone@orig frame.
  it('goal / synthetic-initial: violated in 5 states', () => violated(cell('goal', 'synthetic-initial'), 'frames-agree-with-dispatch', 5));
  it('goal / copy-parent: violated in 5 states', () => violated(cell('goal', 'copy-parent'), 'frames-agree-with-dispatch', 5));
  it('initial / synthetic-initial: safe', () => safe(cell('initial', 'synthetic-initial'), 'copy_process'));
  // Violation with the parent switched first: 1 init, 2 enable P, 3 the stack
  // check switches the parent (in user mode), 4 sys_clone, 5 kernel_clone@P,
  // 6 fork; the child's frame and its state disagree.
  it('initial / copy-parent: violated in 6 states', () => violated(cell('initial', 'copy-parent'), 'frames-agree-with-dispatch', 6));
  it('copy-parent / synthetic-initial: violated in 6 states', () => violated(cell('copy-parent', 'synthetic-initial'), 'frames-agree-with-dispatch', 6));
  it('copy-parent / copy-parent: safe', () => safe(cell('copy-parent', 'copy-parent'), 'copy_process'));
});

describe('S1a: non-atomic fork copy (pending-consistency)', () => {
  // 1 init, 2 sys_clone, 3 kernel_clone, 4 dup_task_struct copies pending=false,
  // 5 enable P (the unlinked child is not visited), 6 klp_copy_process copies
  // UNPATCHED: the child is not at the target and not pending.
  it('copy-parent-nonatomic: violated in 6 states', () => violated(run('s1a-fork-race.yaml'), 'pending-consistency', 6));
  it('copy-parent (the 2022 fix): safe', () => safe(run('s1a-fork-race.yaml', 'fixed-2022'), 'copy_process'));
});

describe('S2: immediate 1i, 2i, 3 (stack-check-sound)', () => {
  // 1 init, 2 enable P1 (immediate), 3 T enters sys_read, 4 calls f (f@P1),
  // 5 sleeps, 6 enable P2 (immediate), 7 enable P3, 8 the stack check looks for
  // f@P2 only and switches T, which still holds f@P1.
  it('original rules: violated in 8 states', () => violated(run('s2-immediate.yaml'), 'stack-check-sound', 8));
  it('fix (a), check all predecessors: safe', () => safe(run('s2-immediate.yaml', 'fix-a-all-predecessors'), 'klp_try_switch_task'));
  it('fix (b), no immediate: safe', () => safe(run('s2-immediate.yaml', 'fix-b-no-immediate'), 'klp_try_switch_task'));
});

describe('S3: frameless asm routine, three unwinders (frames-agree-with-dispatch)', () => {
  // 1 init, 2 sys_write, 3 f@orig, 4 copy_user, 5 sleep, 6 enable P, 7 the
  // naive walk misses f and switches T: its f@orig frame now disagrees.
  it('naive: violated in 7 states', () => violated(run('s3-unwinder.yaml'), 'frames-agree-with-dispatch', 7));
  it('reliable: safe', () => safe(run('s3-unwinder.yaml', 'reliable'), 'exit_to_user_mode'));
  it('orc: safe', () => safe(run('s3-unwinder.yaml', 'orc'), 'klp_try_switch_task'));
});

describe('S6: force while a task is inside f (safety part)', () => {
  // 1 init, 2 enable P, 3 sys_read, 4 f@orig (T UNPATCHED), 5 force: T is
  // PATCHED with an f@orig frame.
  it('force: violated in 5 states', () => violated(run('s6-force.yaml'), 'frames-agree-with-dispatch', 5));
  it('no force: safe', () => safe(run('s6-force.yaml', 'no-force'), 'klp_try_switch_task'));
});

describe('S7: atomic replace with a NOP', () => {
  it('no force: safe, P1 freed only when unused', () => safe(run('s7-atomic-replace.yaml'), 'klp_try_switch_task'));
  // P1 must complete before P2 starts: 1 init, 2 enable P1, 3 switch T1 (user
  // mode), 4 T1 enters sys_b, 5 calls g@P1, 6 switch T2, 7 switch T3, 8 complete,
  // 9 enable P2 (NOP on g), 10 force: T1 dispatches g to orig with g@P1 live.
  it('forcing P2: violated in 10 states', () => violated(run('s7-atomic-replace.yaml', 'force'), 'frames-agree-with-dispatch', 10));
});

describe('S8: reverse mid-transition, repeatedly', () => {
  it('safe for every property', () => safe(run('s8-reverse.yaml'), 'klp_reverse_transition', 'klp_try_switch_task'));
});

describe('S10: force, then a later patch (stack-check-sound)', () => {
  // 1 init, 2 enable P1, 3 sys_read, 4 f@orig, 5 sleep, 6 force (not a checked
  // switch), 7 complete, 8 enable P2, 9 P2's check looks for f@P1 only and
  // switches T holding f@orig.
  it('one predecessor: violated in 9 states', () => violated(run('s10-force-then-patch.yaml'), 'stack-check-sound', 9));
  it('all predecessors: safe', () => safe(run('s10-force-then-patch.yaml', 'all-predecessors'), 'klp_force_transition'));
});

describe('func->immediate (v4.12-v4.15): no stack check for that function', () => {
  const yaml = `title: one function patched with func->immediate
functions:
  sys_read: [call f]
  f: [sleep]
patches:
  - { name: P, replaces: [f], immediate-functions: [f] }
tasks:
  - { name: T, kind: user, syscalls: [sys_read] }
admin: [enable P]
check: [frames-agree-with-dispatch]
`;
  const scenario = parseScenario(yaml, 'inline.yaml');
  const checkUnder = (immediate: string): CheckResult => check(instantiate(scenarioRun(scenario, undefined, { immediate }).spec));
  // 1 init, 2 sys_read, 3 f@orig, 4 sleep, 5 enable P, 6 the check skips f and
  // switches T: its f@orig frame now disagrees with dispatch (f@P).
  it('allowed: violated in 6 states', () => violated(checkUnder('allowed'), 'frames-agree-with-dispatch', 6));
  it('absent: safe', () => safe(checkUnder('absent'), 'klp_try_switch_task'));
});

describe('preemption points: a task preempted inside f, under each unwinder', () => {
  // Naive frame-pointer walk: f's address is only in the interrupt's pt_regs, so
  // the trace shows sys_read alone. 1 init, 2 admin enables P, 3 T enters
  // sys_read, 4 T calls f@orig (T is UNPATCHED), 5 an interrupt preempts T in f,
  // 6 klp_try_switch_task(T) switches it with the f@orig frame: 6 states.
  it('naive: stack-check-sound violated, 6 states', () => violated(run('s3-preempted.yaml', 'naive'), 'stack-check-sound', 6));
  // The reliable FP walk refuses a stack with kernel-mode pt_regs; ORC sees f.
  it('reliable frame pointers: safe', () => safe(run('s3-preempted.yaml', 'reliable-fp'), 'preempt_schedule_irq', 'finish_task_switch'));
  it('ORC: safe', () => safe(run('s3-preempted.yaml'), 'preempt_schedule_irq', 'finish_task_switch', 'klp_try_switch_task'));
});
