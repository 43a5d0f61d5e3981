// The transition lifecycle, mirroring kernel/livepatch/core.c and
// transition.c: klp_enable_patch() / klp_disable_patch() (init, push the
// funcs, start), klp_try_switch_task() (the periodic stack check),
// klp_send_signals(), klp_reverse_transition(), klp_force_transition() and
// klp_complete_transition(). klp_mutex serialises them, so each is one atomic
// step; the grace periods (klp_synchronize_transition) have nothing to wait
// for in a model where dispatch is decided in one step.
import { List } from 'immutable';
import { entryIndex } from './dispatch.ts';
import type { Kernel } from './kernel.ts';
import type { AdminStep } from './scenario.ts';
import { FuncEntry, opposite, type LivepatchState, type PatchState, type Version } from './state.ts';
import { predecessorsChecked } from './ruleViews.ts';
import { switchTask } from './switchTask.ts';

type Next = LivepatchState | undefined;

export function adminStep(k: Kernel, s: LivepatchState): AdminStep | undefined {
  return k.scenario.admin.sequence[s.adminPc];
}

export function linked(s: LivepatchState): string[] {
  return [...s.tasks].filter(([, t]) => t.status === 'alive').map(([n]) => n);
}

/** klp_init_transition() + klp_start_transition(): everyone initial, pending where not at the target. */
export function startTransition(s: LivepatchState, patch: string, target: PatchState): LivepatchState {
  return s.withMutations((m) => {
    m.set('transitionPatch', patch).set('targetState', target);
    for (const name of linked(s)) m.setIn(['tasks', name], s.tasks.get(name)!.merge({ patchState: opposite(target), pending: true }));
  });
}

/** klp_patch_object(): push the patch's funcs (and, for replace, NOPs) on their func stacks. */
export function pushFuncs(k: Kernel, s: LivepatchState, patch: string): LivepatchState {
  const decl = k.patch(patch);
  const entries = new Map<string, boolean>();
  for (const fn of decl.replaces.keys()) entries.set(fn, false);
  if (decl.replace) {
    for (const [other, p] of s.patches) {
      if (other === patch || p.status !== 'enabled') continue;
      for (const fn of k.patch(other).replaces.keys()) if (!entries.has(fn)) entries.set(fn, true);
    }
  }
  return s.update('funcStack', (fs) =>
    fs.withMutations((m) => {
      for (const [fn, nop] of entries) m.set(fn, (m.get(fn) ?? List<FuncEntry>()).unshift(FuncEntry({ patch, nop })));
    }),
  );
}

/**
 * `patch->enabled` as the kernel keeps it: set by klp_enable_patch(), cleared
 * when an unpatching transition starts, flipped by klp_reverse_transition().
 */
export function patchEnabled(s: LivepatchState, patch: string): boolean {
  if (s.transitionPatch === patch) return s.targetState === 'PATCHED';
  return s.patches.get(patch)!.status === 'enabled';
}

/** The administrator's request failed with -EINVAL: the step is done, nothing changed. */
function rejected(s: LivepatchState): LivepatchState {
  return s.set('adminPc', s.adminPc + 1);
}

/**
 * `enable P`: klp_enable_patch() when the module of P is loaded now (waiting
 * while another transition is in progress: -EBUSY); for a patch already
 * registered, the write of 1 to /sys/kernel/livepatch/P/enabled, which
 * enabled_store() turns into klp_reverse_transition() while P is being
 * unpatched and rejects with -EINVAL otherwise (already enabled; a disabled
 * patch cannot be re-enabled).
 */
export function klpEnablePatch(k: Kernel, s: LivepatchState, patch: string): Next {
  const step = adminStep(k, s);
  if (step?.kind !== 'enable' || step.patch !== patch) return undefined;
  if (s.patches.get(patch)!.status !== 'loaded') {
    if (s.transitionPatch === patch && !patchEnabled(s, patch)) return reverse(s).set('adminPc', s.adminPc + 1);
    return rejected(s);
  }
  if (s.transitionPatch !== '') return undefined;
  const pushed = pushFuncs(k, s.set('adminPc', s.adminPc + 1), patch).setIn(['patches', patch, 'status'], 'enabled');
  if (k.rules.immediate.honoured && k.patch(patch).immediate) {
    // v4.12-v4.15 patch->immediate: no per-task transition; everyone runs the new code at once.
    return finish(k, pushed.set('transitionPatch', patch).set('targetState', 'PATCHED'));
  }
  return startTransition(pushed, patch, 'PATCHED');
}

/**
 * `disable P`: the write of 0 to /sys/kernel/livepatch/P/enabled
 * (enabled_store()): -EINVAL when P is not enabled (already being disabled,
 * never enabled, or gone); klp_reverse_transition() while P is being
 * patched; otherwise __klp_disable_patch(), waiting while another
 * transition is in progress (-EBUSY).
 */
export function klpDisablePatch(k: Kernel, s: LivepatchState, patch: string): Next {
  const step = adminStep(k, s);
  if (step?.kind !== 'disable' || step.patch !== patch) return undefined;
  if (!patchEnabled(s, patch)) return rejected(s);
  if (s.transitionPatch === patch) return reverse(s).set('adminPc', s.adminPc + 1);
  if (s.transitionPatch !== '') return undefined;
  return startTransition(s.set('adminPc', s.adminPc + 1), patch, 'UNPATCHED');
}

/** klp_reverse_transition() (mainline-6.x order: clear pending, flip the target, set pending). */
function reverse(s: LivepatchState): LivepatchState {
  const target = opposite(s.targetState);
  return s.withMutations((m) => {
    m.set('targetState', target);
    for (const name of linked(s)) {
      const t = s.tasks.get(name)!;
      m.setIn(['tasks', name, 'pending'], t.patchState !== target);
    }
  });
}

export function klpReverseTransition(k: Kernel, s: LivepatchState): Next {
  if (s.transitionPatch === '') return undefined;
  if (adminStep(k, s)?.kind === 'reverse') return reverse(s).set('adminPc', s.adminPc + 1);
  return k.scenario.admin.anytime.has('reverse') ? reverse(s) : undefined;
}

/** klp_force_transition(): every pending task switched without a check; patches marked forced. */
export function klpForceTransition(k: Kernel, s: LivepatchState): Next {
  if (s.transitionPatch === '') return undefined;
  const inSequence = adminStep(k, s)?.kind === 'force';
  if (!inSequence && !k.scenario.admin.anytime.has('force')) return undefined;
  const tp = s.transitionPatch;
  const next = s.withMutations((m) => {
    if (inSequence) m.set('adminPc', s.adminPc + 1);
    for (const name of linked(s)) {
      const t = s.tasks.get(name)!;
      if (t.pending) m.setIn(['tasks', name], t.merge({ pending: false, patchState: s.targetState }));
    }
    if (s.targetState === 'UNPATCHED') m.setIn(['patches', tp, 'forced'], true);
    else if (k.patch(tp).replace) {
      for (const [other, p] of s.patches) if (other !== tp && p.status === 'enabled') m.setIn(['patches', other, 'forced'], true);
    }
  });
  return next;
}

/**
 * klp_try_switch_task() from the periodic worker: a task that is not running
 * (asleep, or in user mode) and whose reliable stack trace shows none of the
 * versions being replaced is switched. Fails (no successor) otherwise.
 */
export function klpTrySwitchTask(k: Kernel, s: LivepatchState, name: string): Next {
  const t = s.tasks.get(name)!;
  if (s.transitionPatch === '' || t.status !== 'alive' || t.patchState === s.targetState) return undefined;
  if (t.patchState === 'IDLE') return undefined; // a fork plug-in's IDLE task: skipped by the checker (2025 proposal)
  const running = t.sleep === 'no' && !(t.mode === 'user' && t.stack.size === 0);
  if (running) return undefined; // task_curr(): -EBUSY
  return checkAndSwitch(k, s, name, 'klp_try_switch_task');
}

/**
 * klp_check_and_switch_task(): the task's reliable stack trace shows none of
 * the versions being replaced, so it is switched; undefined otherwise. The
 * caller has made sure the task cannot run meanwhile (the worker through
 * task_call_func(), __klp_sched_try_switch() because it checks current).
 */
export function checkAndSwitch(k: Kernel, s: LivepatchState, name: string, by: string): Next {
  const t = s.tasks.get(name)!;
  if (s.transitionPatch === '' || t.status !== 'alive' || t.patchState === s.targetState || t.patchState === 'IDLE') return undefined;
  const trace = k.rules.unwinder(t.stack.toArray(), k.frameless, t.sleep === 'preempted');
  if (!trace.reliable) return undefined; // -EINVAL, unreliable stack
  for (const f of trace.frames) if (checkedVersions(k, s, f.fn).includes(f.version)) return undefined; // -EADDRINUSE
  return switchTask(s, name, by);
}

/** klp_check_stack_func(): the versions of `fn` that block a switch. */
function checkedVersions(k: Kernel, s: LivepatchState, fn: string): readonly Version[] {
  const tp = s.transitionPatch;
  const stack = s.funcStack.get(fn);
  const i = entryIndex(stack, tp);
  if (i < 0) return [];
  if (k.rules.immediate.honoured && k.patch(tp).immediateFunctions.has(fn)) return []; // func->immediate
  const entry = stack!.get(i)!;
  if (s.targetState === 'UNPATCHED') return [entry.nop ? 'orig' : tp];
  return predecessorsChecked(k, s, fn);
}

/**
 * The fake signal klp_send_signals() sends a pending task: an interruptible
 * sleeper wakes (a user task's syscall unwinds); a user task in user space
 * is kicked into the kernel by set_notify_signal() and leaves it again
 * through exit_to_user_mode(), where klp_update_patch_state() switches it.
 */
export function klpSendSignals(k: Kernel, s: LivepatchState, name: string): Next {
  return fakeSignal(k, s, name, 'klp_send_signals');
}

/**
 * The fake signal to one pending task, as klp_send_signals() and kGraft's
 * kgr_send_fake_signal() both send it (kgraft.ts): the admin's `anytime:
 * [signal]` says the kernel has it. Neither wakes an uninterruptible sleeper
 * for good (kGraft's wake_up_process() of a kthread in D state is spurious: it
 * sleeps again where it was), so both come to the same steps here.
 */
export function fakeSignal(k: Kernel, s: LivepatchState, name: string, by: string): Next {
  const t = s.tasks.get(name)!;
  if (!k.scenario.admin.anytime.has('signal') || s.transitionPatch === '' || !t.pending || t.status !== 'alive') return undefined;
  if (t.mode === 'user' && k.declOf(s, name).kind === 'user') return switchTask(s, name, by);
  if (t.sleep !== 'interruptible') return undefined;
  if (k.declOf(s, name).kind === 'user') return s.setIn(['tasks', name], t.merge({ sleep: 'no', stack: t.stack.clear() }));
  return s.setIn(['tasks', name, 'sleep'], 'no');
}

/** klp_try_complete_transition() succeeding: every task on the task list is at the target. */
export function klpCompleteTransition(k: Kernel, s: LivepatchState): Next {
  if (s.transitionPatch === '') return undefined;
  for (const name of linked(s)) {
    const state = s.tasks.get(name)!.patchState;
    if (state !== s.targetState && state !== 'IDLE') return undefined; // IDLE: skipped (a fork plug-in's proposal)
  }
  const missed = [...s.tasks].filter(([, t]) => t.status === 'forking' && t.patchState !== s.targetState).map(([n]) => n);
  return finish(k, missed.length === 0 ? s : s.set('completedWithout', List(missed)));
}

/** klp_complete_transition(): unpatch what goes away, free unforced modules, everyone UNDEFINED. */
export function finish(k: Kernel, s: LivepatchState): LivepatchState {
  const tp = s.transitionPatch;
  const decl = k.patch(tp);
  const removable = (name: string): boolean => {
    const p = k.patch(name);
    return !s.patches.get(name)!.forced && !(k.rules.immediate.honoured && (p.immediate || p.immediateFunctions.size > 0));
  };
  return s.withMutations((m) => {
    const gone = new Set<string>();
    if (s.targetState === 'PATCHED' && decl.replace) {
      for (const [other, p] of s.patches) if (other !== tp && p.status === 'enabled') gone.add(other);
    }
    if (s.targetState === 'UNPATCHED') gone.add(tp);
    for (const name of gone) m.setIn(['patches', name, 'status'], removable(name) ? 'freed' : 'disabled');
    m.set(
      'funcStack',
      s.funcStack
        .map((st) => st.filter((e) => !gone.has(e.patch) && !(e.nop && e.patch === tp)))
        .filter((st) => st.size > 0),
    );
    for (const name of linked(s)) m.setIn(['tasks', name], s.tasks.get(name)!.merge({ patchState: 'UNDEFINED', pending: false }));
    m.set('transitionPatch', '').set('targetState', 'UNDEFINED');
  });
}
