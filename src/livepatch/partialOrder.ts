// Partial-order reduction for the livepatch model (--por; the engine's
// SpecDefinition.partialOrder, docs/adr/0018-partial-order-reduction.md).
//
// The processes are the tasks: every per-task action instance (its first
// parameter is the task) belongs to its task. At a state, a task T is
// offered as the ample set when its next move is a *task-local* step:
//   - T is alive, in the kernel and running (sleep 'no'), not an idle task;
//   - its next step is one of: a return (ret) from the top frame, a call of a
//     function no patch of the scenario replaces (klp_ftrace_handler then
//     always runs the original), a sleep (schedule; not a freezable one when
//     __schedule() may switch the task, rule sched-switch) or a preemption
//     point (preempt_schedule_irq / preempt_point); not cond_resched (it may
//     switch the task);
//   - the step is invisible: the frames every property, premise and cover
//     reads (interesting) stay as they are;
//   - it is not a kthread's loop starting over (so ample steps never close a
//     cycle, and the engine needs no cycle proviso: cycleFree);
//   - under kGraft and park-all, a kthread is not at the top of its loop
//     (kgr_task_safe() / try_to_freeze() read that spot; a park-all freeze
//     holds a task there, freezer.ts, so freeze_processes() disables its
//     step: not independent).
// Why this is C1 (independence): such a step reads and writes only T's
// stack, pc and sleep. While T is running in the kernel, no other action can
// fire that reads or writes them: klp_try_switch_task(T) needs T off the CPU
// (task_curr()), klp_send_signals(T) and kgr_send_fake_signal(T) need an
// interruptible sleep or user mode, try_to_freeze(T) a freezing point, T's own
// syscall / exit_to_user_mode / do_exit need an empty stack or user mode,
// klp_copy_process(T) needs a child T forked (only at a fork step), and
// kpatch's activeness check reads only frames of patched functions, which the
// step keeps; park-all's freeze_processes() writes only pm_freezing, which
// holds back only a task at its freezing point (never T here), and its
// stop_machine() waits for T to be frozen, so it is disabled before and after
// the step. Global actions write patch states, pending flags and func stacks,
// which the step never reads (an unpatched function never has a func stack).
// All of this depends on T's state only, which nothing but T changes, so it
// holds on every path until T moves. C2 (invisibility): see interesting().
import type { PartialOrderDefinition } from '../engine/spec.ts';
import type { Value } from '../engine/value.ts';
import type { Kernel } from './kernel.ts';
import { ORIG, type Frame, type LivepatchState, type Task } from './state.ts';

/** The actions whose first parameter is the task that moves (model.ts). */
export const TASK_ACTIONS: ReadonlySet<string> = new Set([
  'syscall',
  'klp_ftrace_handler',
  'ret',
  'schedule',
  'try_to_wake_up',
  'preempt_schedule_irq',
  'preempt_point',
  'finish_task_switch',
  'cond_resched',
  'copy_process',
  'dup_task_struct',
  'klp_copy_process',
  'exit_to_user_mode',
  'do_idle',
  'do_exit',
  'klp_try_switch_task',
  'klp_send_signals',
  'kgr_task_safe',
  'kgr_send_fake_signal',
  'try_to_freeze',
]);

/**
 * A frame some property, premise or cover may read (docs/properties.md):
 * frames-agree-with-dispatch, patch-set-coherence, stack-check-sound's premise
 * and the called-f covers read frames of functions that may have a func stack
 * (replaced by some patch); free-safety reads frames of a patch's version;
 * caller-consistency reads the `calls` ghost; data-semantics reads `arg`.
 * Every other frame (an unpatched function, run in its original version, with
 * neither ghost) is read by none of them: pushing, popping or advancing it
 * changes no property's value.
 */
export function interesting(patched: ReadonlySet<string>, f: Frame): boolean {
  return patched.has(f.fn) || f.version !== ORIG || f.arg !== '' || f.calls.size > 0;
}

/** Every function some patch of the scenario replaces (a NOP of atomic replace is for one of these too). */
export function patchedFunctions(k: Kernel): ReadonlySet<string> {
  return new Set(k.scenario.patches.flatMap((p) => [...p.replaces.keys()]));
}

/** Whether T's next move is a task-local, invisible step (the header's conditions). */
export function localStep(k: Kernel, patched: ReadonlySet<string>, s: LivepatchState, name: string): boolean {
  const t = s.tasks.get(name);
  if (t === undefined || t.status !== 'alive' || t.mode !== 'kernel' || t.sleep !== 'no') return false;
  const top = t.stack.last();
  if (top === undefined) return false; // exit_to_user_mode next: a switch point
  const decl = k.declOf(s, name);
  if (decl.kind === 'idle') return false; // do_idle() reads the pending flag
  if (atLoopTop(k, t) && (k.rules.model.kind === 'kgraft' || k.rules.model.kind === 'park-all')) return false;
  const body = k.bodyOf(top.fn, top.version);
  if (top.pc >= body.length) {
    // ret pops the frame; a kthread's loop starting over is never ample (cycleFree, below).
    return !k.isLoop(top.fn) && !interesting(patched, top);
  }
  const step = body[top.pc]!;
  switch (step.kind) {
    case 'sleep': // a freezable sleep may first switch the task (__klp_sched_try_switch(), rule sched-switch): not local then
      return step.how !== 'freezable' || !k.rules.schedSwitch.atFreezableSleep;
    case 'preempt':
      return true;
    case 'call': {
      if (patched.has(step.fn)) return false; // klp_ftrace_handler reads the func stack
      const arg = step.arg === undefined ? '' : (top.locals.get(step.arg) ?? '');
      return arg === ''; // the callee's frame: unpatched, original, no calls yet; data-semantics reads a non-empty arg
    }
    default:
      return false; // fork: child slots are shared by every forking task; cond_resched may switch the task (sched-switch)
  }
}

/** A kthread running at the top of its main loop (where kgr_task_safe() and the freezer look). */
function atLoopTop(k: Kernel, t: Task): boolean {
  const first = t.stack.first();
  return t.stack.size === 1 && first !== undefined && k.isLoop(first.fn) && first.pc === 0;
}

/** The reduction for a scenario; `tasks` in the order they are tried (declared tasks, then child slots). */
export function partialOrderOf(k: Kernel, tasks: readonly string[]): PartialOrderDefinition<LivepatchState, Record<string, never>> {
  const patched = patchedFunctions(k);
  const names = new Set(tasks);
  return {
    process(action: string, params: readonly Value[]): string | undefined {
      const t = params[0];
      return TASK_ACTIONS.has(action) && typeof t === 'string' && names.has(t) ? t : undefined;
    },
    ample(s: LivepatchState): string | undefined {
      for (const name of tasks) if (localStep(k, patched, s, name)) return name;
      return undefined;
    },
    // Every task-local step moves its task strictly forward in the order of its stack's
    // pcs read left to right (a call advances the caller and pushes, a return pops, a
    // sleep or preemption point advances), and changes nothing else; only a loop
    // starting over goes back, and it is never ample. So ample steps alone never
    // return to a state: every cycle of the reduced graph holds a fully expanded state (C3).
    cycleFree: true,
  };
}
