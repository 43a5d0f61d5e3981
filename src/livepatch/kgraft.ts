// kGraft (SUSE, 2014-2017): lazy per-task universes. kgr_modify_kernel()
// marks every task TIF_KGR_IN_PROGRESS ("still in the old universe"); the
// slow stub sends an in-progress task to the old code and the others to the
// new code. The flag is cleared only at the user/kernel boundary (syscall
// entry and exit: taskActions.ts) and at kthreads' hand-placed
// kgr_task_safe() calls at the top of their main loop; there is no stack
// check. kgr_finalize() runs when no task is in progress. The model reuses
// the upstream encoding: pending = TIF_KGR_IN_PROGRESS, patchState = the
// universe, so one dispatch rule serves both.
// The two ways out of a stuck patching (SUSE's kGraft from 2015 on):
// kgr_work_fn() sends kgr_send_fake_signal() to every task still in progress
// on each failed round (the admin's `anytime: [signal]` says the kernel has
// it; the `signals` assumption that it keeps coming), and the administrator
// may write 0 to /sys/kernel/kgraft/in_progress: in_progress_store() ->
// kgr_unmark_processes() marks every task migrated, and the next
// kgr_work_fn() finalizes (`force`, in the sequence or `anytime:`).
import type { Kernel } from './kernel.ts';
import type { LivepatchState } from './state.ts';
import { switchTask } from './switchTask.ts';
import { adminStep, fakeSignal, klpCompleteTransition, linked, pushFuncs, startTransition } from './transition.ts';

type Next = LivepatchState | undefined;

/** kgr_modify_kernel(patch, revert): the admin's next `enable P` or `disable P`, when no patching is in progress. */
export function kgrModifyKernel(k: Kernel, s: LivepatchState, patch: string): Next {
  const step = adminStep(k, s);
  if (s.transitionPatch !== '' || step === undefined || (step.kind !== 'enable' && step.kind !== 'disable') || step.patch !== patch) return undefined;
  const status = s.patches.get(patch)!.status;
  const next = s.set('adminPc', s.adminPc + 1);
  if (step.kind === 'enable') {
    if (status !== 'loaded') return undefined;
    return startTransition(pushFuncs(k, next, patch).setIn(['patches', patch, 'status'], 'enabled'), patch, 'PATCHED');
  }
  if (status !== 'enabled') return undefined;
  return startTransition(next, patch, 'UNPATCHED');
}

/** kgr_task_safe(): a kthread at the top of its main loop leaves the old universe. */
export function kgrTaskSafe(k: Kernel, s: LivepatchState, name: string): Next {
  const t = s.tasks.get(name)!;
  if (t.status !== 'alive' || !t.pending || t.sleep !== 'no' || k.declOf(s, name).kind !== 'kthread') return undefined;
  const top = t.stack.first();
  if (t.stack.size !== 1 || top === undefined || !k.isLoop(top.fn) || top.pc !== 0) return undefined;
  return switchTask(s, name, 'kgr_task_safe');
}

/** kgr_finalize() from kgr_work_fn: no live task is in progress any more; everyone uses the new code (fast stubs). */
export function kgrFinalize(k: Kernel, s: LivepatchState): Next {
  return klpCompleteTransition(k, s);
}

/**
 * kgr_send_fake_signal(), one task still in progress: a user task gets
 * signal_wake_up() (an interruptible sleeper wakes and its system call
 * unwinds; a task in user space is kicked through the slow exit path, which
 * clears TIF_KGR_IN_PROGRESS); a kthread gets wake_up_process(). The same
 * steps as upstream's klp_send_signals() (transition.ts, fakeSignal).
 */
export function kgrSendFakeSignal(k: Kernel, s: LivepatchState, name: string): Next {
  return fakeSignal(k, s, name, 'kgr_send_fake_signal');
}

/**
 * The admin writes 0 to /sys/kernel/kgraft/in_progress: in_progress_store()
 * -> kgr_unmark_processes() clears TIF_KGR_IN_PROGRESS of every task, with a
 * WARN and no check. Unlike upstream's klp_force_transition() nothing is
 * marked forced: a reverted patch's module is released by kgr_finalize() as
 * usual, even while a task still runs its code.
 */
export function kgrUnmarkProcesses(k: Kernel, s: LivepatchState): Next {
  if (s.transitionPatch === '') return undefined;
  const inSequence = adminStep(k, s)?.kind === 'force';
  if (!inSequence && !k.scenario.admin.anytime.has('force')) return undefined;
  return s.withMutations((m) => {
    if (inSequence) m.set('adminPc', s.adminPc + 1);
    for (const name of linked(s)) {
      const t = s.tasks.get(name)!;
      if (t.pending) m.setIn(['tasks', name], t.merge({ pending: false, patchState: s.targetState }));
    }
  });
}
