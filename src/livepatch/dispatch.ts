// Which version of a function a call runs: klp_ftrace_handler()
// (kernel/livepatch/patch.c). Decided once, at function entry:
//   top := first entry of func_stack[f]
//   if top->transition and current->patch_state == UNPATCHED:
//        top := next entry (none -> run the original)
//   if top->nop -> run the original, else redirect to top->new_func
// func->transition is true exactly for the entries of the transition patch.
// A task in IDLE (2025 proposal, only under a fork plug-in) is resolved to
// klp_target_state, as that proposal's handler does.
import type { List } from 'immutable';
import { ORIG, type FuncEntry, type LivepatchState, type PatchState, type Version } from './state.ts';

export function dispatch(s: LivepatchState, patchState: PatchState, fn: string): Version {
  const stack = s.funcStack.get(fn);
  if (stack === undefined || stack.size === 0) return ORIG;
  const state = patchState === 'IDLE' ? s.targetState : patchState;
  let entry: FuncEntry | undefined = stack.first();
  if (entry!.patch === s.transitionPatch && state === 'UNPATCHED') entry = stack.get(1);
  return versionOf(entry);
}

/** The version an entry redirects to (a NOP entry, or no entry, runs the original). */
export function versionOf(entry: FuncEntry | undefined): Version {
  return entry === undefined || entry.nop ? ORIG : entry.patch;
}

/** Index of a patch's entry on a func stack, or -1. */
export function entryIndex(stack: List<FuncEntry> | undefined, patch: string): number {
  return stack === undefined ? -1 : stack.findIndex((e) => e.patch === patch);
}
