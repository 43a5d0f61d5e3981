// The two models that switch every task in one step, never partially:
// kpatch's core module (stop_machine(kpatch_apply_patch) and
// stop_machine(kpatch_remove_patch), with kpatch_verify_activeness_safety()
// walking every task's stack) and Ingo Molnar's 2015 "simple method"
// (freeze every task at a safe point, then stop_machine() switches: its
// freezer is in freezer.ts). Both take the administrator's next `enable P`
// or `disable P`; kpatch's step, when its guard fails, is simply not enabled
// and is retried in a later state. No task ever gets a per-task patch state:
// there is no transition to be in.
import type { Kernel } from './kernel.ts';
import { adminStep, finish, pushFuncs } from './transition.ts';
import type { LivepatchState } from './state.ts';

type Next = LivepatchState | undefined;

/** The functions whose running version the step would change: the patch's own and, for replace, those it removes. */
function touched(k: Kernel, s: LivepatchState, patch: string, enabling: boolean): Set<string> {
  const decl = k.patch(patch);
  const out = new Set(decl.replaces.keys());
  if (enabling && decl.replace) {
    for (const [other, p] of s.patches) if (other !== patch && p.status === 'enabled') for (const fn of k.patch(other).replaces.keys()) out.add(fn);
  }
  return out;
}

/** kpatch_verify_activeness_safety(): the first task frame of a touched function, or undefined when none. */
export function activeFrame(s: LivepatchState, fns: ReadonlySet<string>): { task: string; fn: string } | undefined {
  for (const [name, t] of s.tasks) {
    if (t.status === 'unborn' || t.status === 'dead') continue;
    const f = t.stack.find((x) => fns.has(x.fn));
    if (f !== undefined) return { task: name, fn: f.fn };
  }
  return undefined;
}

/** The admin's next step is `enable patch` or `disable patch` and the kernel would accept it now. */
export function pendingAdmin(k: Kernel, s: LivepatchState, patch: string): 'enable' | 'disable' | undefined {
  const step = adminStep(k, s);
  if (step === undefined || (step.kind !== 'enable' && step.kind !== 'disable') || step.patch !== patch) return undefined;
  const status = s.patches.get(patch)!.status;
  if (step.kind === 'enable' && status !== 'loaded') return undefined;
  if (step.kind === 'disable' && status !== 'enabled') return undefined;
  return step.kind;
}

/**
 * The administrator's next step is an `enable P` or `disable P` that the
 * one-step models carry out when their guard lets them (kpatch_register()
 * retrying stop_machine(), the freezer waiting for every task): the request
 * the global models' L1 and L3 are about (liveness.ts).
 */
export function requestedSwitch(k: Kernel, s: LivepatchState): 'enable' | 'disable' | undefined {
  const step = adminStep(k, s);
  if (step === undefined || (step.kind !== 'enable' && step.kind !== 'disable')) return undefined;
  return pendingAdmin(k, s, step.patch);
}

/** Everyone switches at once: funcs pushed (enable) or popped (disable), the module freed on disable. */
export function switchEveryone(k: Kernel, s: LivepatchState, patch: string, how: 'enable' | 'disable'): LivepatchState {
  const next = s.set('adminPc', s.adminPc + 1);
  if (how === 'enable') {
    const pushed = pushFuncs(k, next, patch).setIn(['patches', patch, 'status'], 'enabled');
    return finish(k, pushed.set('transitionPatch', patch).set('targetState', 'PATCHED'));
  }
  return finish(k, next.set('transitionPatch', patch).set('targetState', 'UNPATCHED'));
}

/** kpatch: stop_machine(kpatch_apply_patch) / stop_machine(kpatch_remove_patch); -EBUSY when a stack holds a touched function. */
export function kpatchStopMachine(k: Kernel, s: LivepatchState, patch: string, want: 'enable' | 'disable'): Next {
  if (s.transitionPatch !== '' || pendingAdmin(k, s, patch) !== want) return undefined;
  if (activeFrame(s, touched(k, s, patch, want === 'enable')) !== undefined) return undefined; // "activeness safety check failed"
  return switchEveryone(k, s, patch, want);
}
