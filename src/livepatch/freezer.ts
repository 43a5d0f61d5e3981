// park-all (Ingo Molnar's 2015 "simple method"): freeze every task at a safe
// point, switch everything under stop_machine(), thaw. The freezer is modelled
// as kernel/power/process.c and kernel/freezer.c run it, not as a lucky
// moment when every task happens to be parked:
//   1. freeze_processes() + freeze_kernel_threads() set pm_freezing (and
//      pm_nosig_freezing) and try_to_freeze_tasks() starts its rounds:
//      `freezing` in the state;
//   2. from then on a task that reaches its freezing point enters the
//      refrigerator there (try_to_freeze() -> __refrigerator(): TASK_FROZEN,
//      sleep 'frozen') and stays until the thaw; a task at its freezing point
//      does nothing else meanwhile (held, below). The freezing points are
//      park-all's safe points: a user task in user space (freeze_task()'s
//      fake_signal_wake_up() sends it through get_signal() before it runs
//      another user instruction), a kthread at the top of its main loop
//      (its try_to_freeze() call). Idle tasks are PF_NOFREEZE and
//      stop_machine() parks them anyway: they never hold the freeze up;
//   3. when every live task is frozen (try_to_freeze_tasks() finds todo == 0)
//      stop_machine() applies or removes the patch for everyone and
//      thaw_processes() lets every task run on from where it froze.
// Not modelled: the timeout. try_to_freeze_tasks() gives up after
// freeze_timeout_msecs (20 s) and freeze_processes() thaws everyone
// (-EBUSY). An abort can only undo a freeze: every state after it is one the
// run without that freeze reaches too (a frozen task was at its freezing
// point with nothing else done), so no safety verdict depends on it. For
// liveness, an abort that may come at any moment (the model has no clock)
// could always come just before the last task freezes, so every park-all
// scenario with a task not yet at its point would "never complete", which the
// 20 s budget rules out in practice; and where a task truly never reaches its
// point (asleep for ever in the kernel), a freeze that waits for ever and a
// retry loop of timed-out freezes give the same L1 verdict. docs/adr/0013.
import type { Kernel } from './kernel.ts';
import type { LivepatchState, Task } from './state.ts';
import { pendingAdmin, switchEveryone } from './globalSwitch.ts';

type Next = LivepatchState | undefined;

/** A task at a safe point: user space, a kthread at the top of its main loop (try_to_freeze()), an idle task in do_idle(). */
function parked(k: Kernel, s: LivepatchState, name: string, t: Task): boolean {
  if (t.status === 'unborn' || t.status === 'dead') return true;
  if (t.status === 'forking') return false;
  const kind = k.declOf(s, name).kind;
  if (kind === 'idle') return true;
  if (kind === 'user') return t.mode === 'user';
  return t.stack.size === 1 && k.isLoop(t.stack.first()!.fn) && t.stack.first()!.pc === 0;
}

/** The task is running at its freezing point (a live user or kthread task, not yet frozen). */
function atFreezingPoint(k: Kernel, s: LivepatchState, name: string, t: Task): boolean {
  return t.status === 'alive' && t.sleep === 'no' && k.declOf(s, name).kind !== 'idle' && parked(k, s, name, t);
}

/**
 * During a freeze a task is stopped when it is frozen, or when it has reached
 * its freezing point and will enter the refrigerator there next: none of the
 * shared task actions (syscall, calls, sleeps, exit, ...) may move it.
 */
export function held(k: Kernel, s: LivepatchState, name: string): boolean {
  if (!s.freezing) return false;
  const t = s.tasks.get(name);
  return t !== undefined && (t.sleep === 'frozen' || atFreezingPoint(k, s, name, t));
}

/** freeze_processes() + freeze_kernel_threads(): the admin's next enable/disable P starts a freeze (pm_freezing = true). */
export function freezeProcesses(k: Kernel, s: LivepatchState, patch: string): Next {
  if (s.freezing || s.transitionPatch !== '' || pendingAdmin(k, s, patch) === undefined) return undefined;
  return s.set('freezing', true);
}

/** try_to_freeze() -> __refrigerator(): a task at its freezing point during a freeze is frozen there (TASK_FROZEN). */
export function tryToFreeze(k: Kernel, s: LivepatchState, name: string): Next {
  const t = s.tasks.get(name)!;
  if (!s.freezing || !atFreezingPoint(k, s, name, t)) return undefined;
  return s.setIn(['tasks', name, 'sleep'], 'frozen');
}

/** try_to_freeze_tasks() found every task frozen: stop_machine() switches everyone at once, then thaw_processes(). */
export function stopMachine(k: Kernel, s: LivepatchState, patch: string): Next {
  const how = pendingAdmin(k, s, patch);
  if (!s.freezing || how === undefined) return undefined;
  // A half-forked child (status 'forking') needs no check: its parent is inside the fork, in the kernel, not frozen.
  for (const [name, t] of s.tasks) if (t.status === 'alive' && k.declOf(s, name).kind !== 'idle' && t.sleep !== 'frozen') return undefined;
  const thawed = s.set('freezing', false).update('tasks', (ts) => ts.map((t) => (t.sleep === 'frozen' ? t.set('sleep', 'no') : t)));
  return switchEveryone(k, thawed, patch, how);
}
