// The rule families and dispatch, piece by piece, on hand-built func stacks
// and task stacks (klp_ftrace_handler's dispatch, klp_check_stack_func's
// checked versions, and S3 of docs/scenarios.md).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { List, Map as IMap } from 'immutable';
import { dispatch } from '../../src/livepatch/dispatch.ts';
import { RULE_FAMILIES, resolveRules } from '../../src/livepatch/rules/index.ts';
import type { FrameView, FuncStackEntryView, StackCheckInput } from '../../src/livepatch/plugin.ts';
import { FuncEntry, Frame, LivepatchState } from '../../src/livepatch/state.ts';

const stackOf = (...entries: [string, boolean][]): List<FuncEntry> => List(entries.map(([patch, nop]) => FuncEntry({ patch, nop })));

describe('dispatch (klp_ftrace_handler)', () => {
  const s = LivepatchState({ funcStack: IMap([['f', stackOf(['P3', false], ['P2', false])], ['g', stackOf(['P3', true], ['P1', false])]]) });
  it('runs the original when nothing patches the function', () => assert.equal(dispatch(s, 'UNPATCHED', 'h'), 'orig'));
  it('runs the top entry when no transition involves it', () => assert.equal(dispatch(s, 'UNPATCHED', 'f'), 'P3'));
  const t = s.set('transitionPatch', 'P3').set('targetState', 'PATCHED');
  it('an UNPATCHED task runs the entry below the transition patch', () => assert.equal(dispatch(t, 'UNPATCHED', 'f'), 'P2'));
  it('a PATCHED task runs the transition patch', () => assert.equal(dispatch(t, 'PATCHED', 'f'), 'P3'));
  it('a NOP runs the original for a switched task, the replaced version for the others', () => {
    assert.equal(dispatch(t, 'PATCHED', 'g'), 'orig');
    assert.equal(dispatch(t, 'UNPATCHED', 'g'), 'P1');
  });
});

describe('rule families', () => {
  it('every family has today\'s kernel as one of its variants', () => {
    for (const f of RULE_FAMILIES) assert.ok(f.variants.some((v) => v.name === f.default), f.name);
    assert.deepEqual(resolveRules({}).settings, { model: 'upstream', fork: 'copy-parent', 'child-stack': 'empty', 'stack-check': 'one-predecessor', unwinder: 'orc', immediate: 'absent', 'sched-switch': 'freezable-sleep' });
  });

  it('stack-check: one predecessor vs all predecessors', () => {
    const entry = (patch: string): FuncStackEntryView => ({ patch, version: patch, nop: false, immediate: false, replace: false, forced: false });
    const input = (...patches: string[]): StackCheckInput => ({ fn: 'f', funcStack: patches.map(entry), index: 0, transitionPatch: patches[0]!, targetState: 'PATCHED' });
    assert.deepEqual(resolveRules({}).stackCheck(input('P3', 'P2', 'P1')), ['P2']);
    assert.deepEqual(resolveRules({ 'stack-check': 'all-predecessors' }).stackCheck(input('P3', 'P2', 'P1')), ['P2', 'P1', 'orig']);
    assert.deepEqual(resolveRules({}).stackCheck(input('P1')), ['orig']);
  });

  it('unwinder: what each reports under a frameless routine', () => {
    const stack = [Frame({ fn: 'sys_write' }), Frame({ fn: 'f' }), Frame({ fn: 'copy_user' })];
    const frameless = (fn: string): boolean => fn === 'copy_user';
    const names = (r: { frames: readonly FrameView[] }): string[] => r.frames.map((f) => f.fn);
    const naive = resolveRules({ unwinder: 'naive' }).unwinder(stack, frameless, false);
    assert.deepEqual([naive.reliable, names(naive)], [true, ['sys_write', 'copy_user']]);
    assert.equal(resolveRules({ unwinder: 'reliable' }).unwinder(stack, frameless, false).reliable, false);
    const orc = resolveRules({ unwinder: 'orc' }).unwinder(stack, frameless, false);
    assert.deepEqual([orc.reliable, names(orc)], [true, ['sys_write', 'f', 'copy_user']]);
    assert.equal(resolveRules({ unwinder: 'none' }).unwinder(stack, frameless, false).reliable, false);
  });

  it('unwinder: what each reports for a task preempted in f (pt_regs on its stack, f only in regs->ip)', () => {
    const stack = [Frame({ fn: 'sys_read' }), Frame({ fn: 'f' })];
    const names = (r: { frames: readonly FrameView[] }): string[] => r.frames.map((x) => x.fn);
    const never = (): boolean => false;
    const naive = resolveRules({ unwinder: 'naive' }).unwinder(stack, never, true);
    assert.deepEqual([naive.reliable, names(naive)], [true, ['sys_read']]);
    assert.equal(resolveRules({ unwinder: 'reliable' }).unwinder(stack, never, true).reliable, false);
    const orc = resolveRules({ unwinder: 'orc' }).unwinder(stack, never, true);
    assert.deepEqual([orc.reliable, names(orc)], [true, ['sys_read', 'f']]);
  });

  it('an unknown variant is refused with the valid ones listed', () => {
    assert.throws(() => resolveRules({ fork: 'goal2' }), { code: 'KLP203', message: 'unknown fork rule "goal2"', hints: ['valid fork rules: goal, initial, copy-parent, copy-parent-nonatomic'] });
  });
});
