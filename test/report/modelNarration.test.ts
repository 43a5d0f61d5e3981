// The livepatch narrator under the other consistency models (rule `model`):
// kGraft steps are told with TIF_KGR_IN_PROGRESS and universes, the global
// switches with stop_machine and the freezer; upstream keeps its words.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { List, Map as IMap } from 'immutable';
import { livepatchNarratorFor } from '../../src/report/livepatchNarrator.ts';
import { Frame, LivepatchState, Patch, Task } from '../../src/livepatch/state.ts';

/** A trace step's action, as the engine records it. */
const act = (name: string, ...params: string[]): { name: string; params: string[]; label: string } => ({ name, params, label: `${name}(${params.join(', ')})` });

const state = (t: Partial<{ mode: 'user' | 'kernel'; patchState: 'UNPATCHED' | 'PATCHED'; pending: boolean; stack: List<ReturnType<typeof Frame>> }>, patch: 'loaded' | 'enabled' = 'enabled'): LivepatchState =>
  LivepatchState({ tasks: IMap({ T: Task(t) }), patches: IMap({ P: Patch({ status: patch }) }), transitionPatch: 'P', targetState: 'PATCHED' });

describe('narration under kgraft', () => {
  const kgraft = livepatchNarratorFor('kgraft');
  it('the switch at syscall entry', () => {
    const prev = state({ patchState: 'UNPATCHED', pending: true });
    const next = state({ mode: 'kernel', patchState: 'PATCHED', pending: false, stack: List([Frame({ fn: 'c', version: 'P' })]) });
    const told = kgraft.step(prev, next, act('syscall', 'T', 'c'));
    assert.equal(told.title, 'T enters c; kGraft clears TIF_KGR_IN_PROGRESS at syscall entry');
    assert.deepEqual(told.lines.filter((l) => l.who === 'T').map((l) => l.what), ['new universe', 'running in the kernel', 'stack: c@P']);
  });
  it('an in-progress task is in the old universe', () => {
    assert.deepEqual(kgraft.initial(state({ patchState: 'UNPATCHED', pending: true })).find((l) => l.who === 'T')?.what, 'old universe, TIF_KGR_IN_PROGRESS, in user space');
  });
  it('the return to user space', () => {
    const prev = state({ mode: 'kernel', patchState: 'UNPATCHED', pending: true });
    const next = state({ mode: 'user', patchState: 'PATCHED', pending: false });
    assert.equal(kgraft.step(prev, next, act('exit_to_user_mode', 'T')).title, 'T returns to user space; kGraft clears TIF_KGR_IN_PROGRESS at syscall exit');
  });
});

describe('narration of the global models, and upstream unchanged', () => {
  it('the freezer: freeze_processes starts it, a task freezes, stop_machine applies the patch and thaws', () => {
    const n = livepatchNarratorFor('park-all');
    const idle = state({}, 'loaded');
    const freezing = idle.set('freezing', true);
    const started = n.step(idle, freezing, act('freeze_processes', 'P'));
    assert.equal(started.title, 'freeze_processes() for P: the freezer starts; each task is frozen when it reaches its freezing point');
    assert.deepEqual(started.lines, [{ who: 'freezer', what: 'pm_freezing: tasks freeze at their freezing points' }]);
    const frozen = freezing.setIn(['tasks', 'T', 'sleep'], 'frozen');
    const froze = n.step(freezing, frozen, act('try_to_freeze', 'T'));
    assert.equal(froze.title, 'T enters the refrigerator (try_to_freeze())');
    assert.deepEqual(froze.lines, [{ who: 'T', what: 'frozen on its way back to user space (TASK_FROZEN)' }]);
    const told = n.step(frozen, state({}, 'enabled'), act('stop_machine', 'P'));
    assert.equal(told.title, 'every task frozen: stop_machine() applies P for every task at once; thaw_processes()');
  });
  it('kGraft\'s fake signal and forced finish', () => {
    const n = livepatchNarratorFor('kgraft');
    const pending = state({ patchState: 'UNPATCHED', pending: true });
    assert.equal(n.step(pending, state({ patchState: 'PATCHED' }), act('kgr_send_fake_signal', 'T')).title, 'kgr_send_fake_signal() kicks T out of user space: the slow exit path clears TIF_KGR_IN_PROGRESS');
    assert.equal(n.step(pending, state({ patchState: 'PATCHED' }), act('kgr_unmark_processes')).title, 'admin writes 0 to /sys/kernel/kgraft/in_progress: kgr_unmark_processes() marks every task migrated');
  });
  it('upstream still says klp_update_patch_state', () => {
    const prev = state({ mode: 'kernel', patchState: 'UNPATCHED', pending: true });
    const next = state({ mode: 'user', patchState: 'PATCHED', pending: false });
    assert.equal(livepatchNarratorFor('upstream').step(prev, next, act('exit_to_user_mode', 'T')).title, 'T returns to user space, klp_update_patch_state(T)');
  });
});

describe('narration of the self-switch and the fake signal (upstream)', () => {
  const n = livepatchNarratorFor('upstream');
  const inWork = List([Frame({ fn: 'K.loop' }), Frame({ fn: 'work', pc: 1 })]);
  it('cond_resched() that switches the task (sched-switch=cond-resched), and one that does not', () => {
    const prev = state({ mode: 'kernel', patchState: 'UNPATCHED', pending: true, stack: inWork });
    const switched = state({ mode: 'kernel', patchState: 'PATCHED', pending: false, stack: inWork });
    assert.equal(n.step(prev, switched, act('cond_resched', 'T')).title, 'T calls cond_resched() in work@orig -> klp_sched_try_switch(): its own stack is clean, switched');
    assert.equal(n.step(prev, prev, act('cond_resched', 'T')).title, 'T calls cond_resched() in work@orig');
  });
  it('a freezable sleep that switches the task in __schedule() (sched-switch=freezable-sleep)', () => {
    const prev = state({ mode: 'kernel', patchState: 'UNPATCHED', pending: true, stack: inWork });
    const next = state({ mode: 'kernel', patchState: 'PATCHED', pending: false, stack: inWork });
    assert.equal(n.step(prev, next, act('schedule', 'T')).title, 'T goes to a freezable sleep in work@orig; __schedule() -> klp_sched_try_switch(): its own stack is clean, switched');
  });
  it('the fake signal to a task in user space', () => {
    const prev = state({ mode: 'user', patchState: 'UNPATCHED', pending: true });
    const next = state({ mode: 'user', patchState: 'PATCHED', pending: false });
    assert.equal(n.step(prev, next, act('klp_send_signals', 'T')).title, 'klp_send_signals() kicks T out of user space: exit_to_user_mode(), klp_update_patch_state(T)');
  });
});
