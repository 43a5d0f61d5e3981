// Rule family `fork`: which (patchState, pending) a forked child starts with.
// klp_copy_process() in kernel/livepatch/transition.c, called from
// copy_process() under tasklist_lock. History in docs/scenarios.md#s1 (S1, S1a): goal
// and initial were discussed in 2016; copy-parent was merged for v4.12;
// before commit 747f7a290117 (2022) only patch_state was copied there while
// the pending flag came from the early dup_task_struct(). Variants are
// written against the plug-in API (plugin.ts: ForkVariant), which also lets a
// plug-in start children IDLE and resolve them in klp_ftrace_handler.
import type { ChildState, ForkVariant, TaskView, TransitionView } from '../plugin.ts';
import type { RuleFamily } from './ruleFamily.ts';

export type ForkImpl = ForkVariant;

const idle: ChildState = { patchState: 'UNDEFINED', pending: false };
const copy = (parent: TaskView): ChildState => ({ patchState: parent.patchState, pending: parent.pending });
const opposite = (k: TransitionView): ChildState['patchState'] => (k.targetState === 'PATCHED' ? 'UNPATCHED' : 'PATCHED');

export const forkRule: RuleFamily<ForkImpl> = {
  name: 'fork',
  description: 'the patch state a forked child starts with',
  default: 'copy-parent',
  variants: [
    {
      name: 'goal',
      description: 'child starts switched to the target state (2016 code under review)',
      impl: { atomic: true, child: (_p, k) => (k.transitionPatch === '' ? idle : { patchState: k.targetState, pending: false }) },
    },
    {
      name: 'initial',
      description: 'child starts in the initial state, pending (Josh Poimboeuf, Apr 2016)',
      impl: { atomic: true, child: (_p, k) => (k.transitionPatch === '' ? idle : { patchState: opposite(k), pending: true }) },
    },
    {
      name: 'copy-parent',
      description: "child copies the parent's state and pending flag at once (today's kernel)",
      impl: { atomic: true, child: copy },
    },
    {
      name: 'copy-parent-nonatomic',
      description: 'pending copied by dup_task_struct(), state later by klp_copy_process() (before the 2022 fix)',
      impl: { atomic: false, child: copy },
    },
  ],
};
