// Tells a livepatch trace in kernel terms: "parent calls kernel_clone@orig",
// "klp_try_switch_task(T)", "admin forces the transition", and per task its
// patch state, pending flag and stack with versions; only what changed.
// Under the other consistency models (rule `model`) the steps are told in
// kpatch / kGraft / freezer terms: stop_machine(kpatch_apply_patch),
// TIF_KGR_IN_PROGRESS and universes, freeze_processes() and the refrigerator.
import type { List } from 'immutable';
import type { ModelKind } from '../livepatch/rules/consistencyModel.ts';
import { frameText, type FuncEntry, type LivepatchState, type Task } from '../livepatch/state.ts';
import type { NarrationLine, Narrator } from './narrator.ts';

function stackText(t: Task): string {
  return t.stack.size === 0 ? '(no kernel frames)' : t.stack.map(frameText).join(' > ');
}

function stateText(t: Task, model: ModelKind): string {
  if (model === 'kgraft') {
    if (t.patchState === 'UNDEFINED') return 'no patching in progress';
    return `${t.patchState === 'PATCHED' ? 'new' : 'old'} universe${t.pending ? ', TIF_KGR_IN_PROGRESS' : ''}`;
  }
  return `${t.patchState}${t.pending ? ', pending' : ''}`;
}

function whereText(t: Task): string {
  if (t.status === 'dead') return 'exited';
  if (t.status === 'forking') return 'being forked';
  if (t.sleep === 'preempted') return 'preempted (runnable, off the CPU)';
  if (t.sleep === 'frozen') return `frozen${t.mode === 'user' ? ' on its way back to user space' : ' at the top of its loop'} (TASK_FROZEN)`;
  if (t.sleep !== 'no') return `asleep (${t.sleep})`;
  return t.mode === 'user' ? 'in user space' : 'running in the kernel';
}

function describeTask(t: Task, model: ModelKind): string[] {
  const parts = [`${stateText(t, model)}, ${whereText(t)}`];
  if (t.stack.size > 0) parts.push(`stack: ${stackText(t)}`);
  return parts;
}

function funcStackText(st: List<FuncEntry> | undefined): string {
  if (st === undefined || st.size === 0) return 'func stack empty (original runs)';
  return `func stack: ${st.map((e) => (e.nop ? `${e.patch} (nop)` : e.patch)).join(' > ')}`;
}

function taskChanges(before: Task | undefined, after: Task, model: ModelKind): string[] {
  if (after.status === 'unborn') return [];
  if (before === undefined || before.status === 'unborn') return describeTask(after, model);
  const out: string[] = [];
  if (before.patchState !== after.patchState || before.pending !== after.pending) out.push(stateText(after, model));
  if (before.status !== after.status || before.mode !== after.mode || before.sleep !== after.sleep) out.push(whereText(after));
  if (stackText(before) !== stackText(after) && after.status !== 'dead') out.push(`stack: ${stackText(after)}`);
  return out;
}

function changes(prev: LivepatchState | undefined, next: LivepatchState, model: ModelKind): NarrationLine[] {
  const lines: NarrationLine[] = [];
  if (prev === undefined || prev.transitionPatch !== next.transitionPatch || prev.targetState !== next.targetState) {
    lines.push({ who: 'klp', what: next.transitionPatch === '' ? 'no transition in progress' : `${next.transitionPatch} in transition, target ${next.targetState}` });
  }
  if ((prev?.freezing ?? false) !== next.freezing) lines.push({ who: 'freezer', what: next.freezing ? 'pm_freezing: tasks freeze at their freezing points' : 'thawed' });
  for (const [name, t] of next.tasks) for (const what of taskChanges(prev?.tasks.get(name), t, model)) lines.push({ who: name, what });
  const fns = new Set([...next.funcStack.keys(), ...(prev?.funcStack.keys() ?? [])]);
  for (const fn of [...fns].sort()) {
    const a = prev?.funcStack.get(fn);
    const b = next.funcStack.get(fn);
    if (prev === undefined || !(a?.equals(b as List<FuncEntry>) ?? b === undefined)) lines.push({ who: fn, what: funcStackText(b) });
  }
  for (const [name, p] of next.patches) {
    const q = prev?.patches.get(name);
    if (q === undefined || q.status !== p.status || q.forced !== p.forced) lines.push({ who: name, what: `${p.status}${p.forced ? ', forced' : ''}` });
  }
  return lines;
}

function top(s: LivepatchState, t: string): string {
  const f = s.tasks.get(t)?.stack.last();
  return f === undefined ? '?' : frameText(f);
}

/** A self-switch (__klp_sched_try_switch()) happened in this step. */
function switchedItself(prev: LivepatchState, next: LivepatchState, t: string): boolean {
  return prev.tasks.get(t)!.pending && !next.tasks.get(t)!.pending;
}

function newChild(prev: LivepatchState, next: LivepatchState): string | undefined {
  return [...next.tasks.keys()].find((n) => prev.tasks.get(n)!.status === 'unborn' && next.tasks.get(n)!.status !== 'unborn');
}

function title(prev: LivepatchState, next: LivepatchState, name: string, params: readonly unknown[], model: ModelKind): string {
  const [a, b] = params.map(String);
  switch (name) {
    case 'syscall':
      return prev.tasks.get(a!)!.pending && !next.tasks.get(a!)!.pending ? `${a} enters ${b}; kGraft clears TIF_KGR_IN_PROGRESS at syscall entry` : `${a} enters ${b}`;
    case 'klp_ftrace_handler':
      return `${a} calls ${top(next, a!)}`;
    case 'ret':
      return next.tasks.get(a!)!.stack.size === prev.tasks.get(a!)!.stack.size ? `${a}'s loop starts over` : `${a} returns from ${top(prev, a!)}`;
    case 'schedule':
      return switchedItself(prev, next, a!) ? `${a} goes to a freezable sleep in ${top(next, a!)}; __schedule() -> klp_sched_try_switch(): its own stack is clean, switched` : `${a} sleeps in ${top(next, a!)}`;
    case 'cond_resched':
      return switchedItself(prev, next, a!) ? `${a} calls cond_resched() in ${top(next, a!)} -> klp_sched_try_switch(): its own stack is clean, switched` : `${a} calls cond_resched() in ${top(next, a!)}`;
    case 'try_to_wake_up':
      return `${a} wakes up`;
    case 'preempt_schedule_irq':
      return `an interrupt preempts ${a} in ${top(next, a!)} (preempt_schedule_irq)`;
    case 'preempt_point':
      return `${a} runs past a preemption point in ${top(next, a!)}`;
    case 'finish_task_switch':
      return `${a} runs again (finish_task_switch)`;
    case 'copy_process': {
      const child = newChild(prev, next);
      return child === undefined ? `${a}'s fork fails (no free task slot)` : `${a} forks ${child} (copy_process)`;
    }
    case 'dup_task_struct': {
      const child = newChild(prev, next);
      return child === undefined ? `${a}'s fork fails (no free task slot)` : `dup_task_struct(): ${a} starts forking ${child}`;
    }
    case 'klp_copy_process':
      return `klp_copy_process(): ${a}'s child gets its patch state`;
    case 'exit_to_user_mode':
      if (model === 'kgraft' && prev.tasks.get(a!)!.pending) return `${a} returns to user space; kGraft clears TIF_KGR_IN_PROGRESS at syscall exit`;
      return prev.tasks.get(a!)!.pending ? `${a} returns to user space, klp_update_patch_state(${a})` : `${a} returns to user space`;
    case 'do_idle':
      return model === 'kgraft' ? `do_idle(): the idle task ${a} leaves the old universe` : `do_idle(): klp_update_patch_state(${a})`;
    case 'do_exit':
      return `${a} exits`;
    case 'klp_try_switch_task':
      return `klp_try_switch_task(${a})`;
    case 'klp_send_signals':
      return prev.tasks.get(a!)!.mode === 'user' ? `klp_send_signals() kicks ${a} out of user space: exit_to_user_mode(), klp_update_patch_state(${a})` : `klp_send_signals() wakes ${a}`;
    case 'klp_enable_patch':
      if (prev.patches.get(a!)!.status !== 'loaded') return adminWrite(prev, next, a!, 1);
      return next.transitionPatch === a ? `admin enables ${a}` : `admin enables ${a} (immediate: every task at once)`;
    case 'klp_disable_patch':
      return adminWrite(prev, next, a!, 0);
    case 'klp_reverse_transition':
      return `admin reverses the transition of ${prev.transitionPatch}`;
    case 'klp_force_transition':
      return `admin forces the transition of ${prev.transitionPatch}`;
    case 'klp_complete_transition':
      return `klp_complete_transition() of ${prev.transitionPatch}`;
    case 'kpatch_apply_patch':
      return `stop_machine(kpatch_apply_patch): no task has a function of ${a} on its stack; ${a} applied to every task at once`;
    case 'kpatch_remove_patch':
      return `stop_machine(kpatch_remove_patch): no task has a function of ${a} on its stack; ${a} removed for every task at once`;
    case 'freeze_processes':
      return `freeze_processes() for ${a}: the freezer starts; each task is frozen when it reaches its freezing point`;
    case 'try_to_freeze':
      return `${a} enters the refrigerator (try_to_freeze())`;
    case 'stop_machine':
      return `every task frozen: stop_machine() ${next.patches.get(a!)?.status === 'enabled' ? 'applies' : 'removes'} ${a} for every task at once; thaw_processes()`;
    case 'kgr_send_fake_signal':
      return prev.tasks.get(a!)!.mode === 'user' ? `kgr_send_fake_signal() kicks ${a} out of user space: the slow exit path clears TIF_KGR_IN_PROGRESS` : `kgr_send_fake_signal() wakes ${a}`;
    case 'kgr_unmark_processes':
      return `admin writes 0 to /sys/kernel/kgraft/in_progress: kgr_unmark_processes() marks every task migrated`;
    case 'kgr_modify_kernel':
      return `admin ${next.patches.get(a!)?.status === 'enabled' && next.targetState === 'PATCHED' ? 'applies' : 'reverts'} ${a}: kgr_modify_kernel() marks every task TIF_KGR_IN_PROGRESS`;
    case 'kgr_task_safe':
      return `kgr_task_safe(): ${a}, at the top of its main loop, leaves the old universe`;
    case 'kgr_finalize':
      return `kgr_finalize(): no task in progress; ${prev.transitionPatch} done, fast stubs for everyone`;
    default:
      return `${name}(${params.map(String).join(', ')})`;
  }
}

/** A write to /sys/kernel/livepatch/P/enabled (enabled_store()): a reverse, a disable, or -EINVAL. */
function adminWrite(prev: LivepatchState, next: LivepatchState, patch: string, value: 0 | 1): string {
  const write = `admin writes ${value} to /sys/kernel/livepatch/${patch}/enabled`;
  if (prev.transitionPatch === patch && next.targetState !== prev.targetState) return `${write}: klp_reverse_transition()`;
  if (prev.transitionPatch === '' && next.transitionPatch === patch) return `admin disables ${patch}`;
  return `${write}: -EINVAL (${value === 0 ? 'not enabled' : 'already enabled, or disabled for good'}), nothing changes`;
}

/** The narrator for a scenario run under consistency model `kind` (rule `model`). */
export function livepatchNarratorFor(kind: string | undefined): Narrator<LivepatchState> {
  const model: ModelKind = (['kpatch', 'kgraft', 'park-all'] as const).find((m) => m === kind) ?? 'upstream';
  return {
    initial: (s) => changes(undefined, s, model),
    step: (prev, next, action) => ({ title: title(prev, next, action.name, action.params, model), lines: changes(prev, next, model) }),
  };
}

/** Today's kernel (model upstream). */
export const livepatchNarrator: Narrator<LivepatchState> = livepatchNarratorFor('upstream');
