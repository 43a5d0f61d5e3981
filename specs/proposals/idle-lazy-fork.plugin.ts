// Proposal (2025, "Replace tasklist_lock with RCU" thread): a forked child
// starts with patch_state IDLE, the transition's stack checker skips it, and
// klp_ftrace_handler resolves IDLE to klp_target_state at each call, without
// storing the result. Petr Mladek's counterexample: the child calls funcA
// while the target is PATCHED (funcA@P), the administrator reverses the
// transition (target UNPATCHED), the child then calls funcB and gets
// funcB@orig: one task runs the patched and the original side of the same
// patch at once. specs/proposals/s1c-idle-lazy-fork.yaml finds it.
// idle-lazy-stored is the repair discussed in the thread (store the
// resolution in the handler); Petr expected it to need extra grace periods,
// which this model, deciding dispatch in one atomic step, does not have.
import { definePlugin } from '../../src/livepatch/plugin.ts';

export default definePlugin({
  variants: [
    {
      family: 'fork',
      name: 'idle-lazy',
      description: 'child starts IDLE, skipped by the checker; the handler resolves IDLE to the target at each call, not stored (2025 proposal)',
      impl: {
        atomic: true,
        child: () => ({ patchState: 'IDLE', pending: false }),
        // Leaving the task IDLE: this call runs as klp_target_state, and so will the next one, whatever the target is then.
        resolveIdle: () => 'IDLE',
      },
    },
    {
      family: 'fork',
      name: 'idle-lazy-stored',
      description: 'as idle-lazy, but the handler stores the resolved state in the child at its first patched call',
      impl: {
        atomic: true,
        child: () => ({ patchState: 'IDLE', pending: false }),
        // Stored: from its first patched call on, the child is an ordinary task at that target.
        resolveIdle: (call) => call.targetState,
      },
    },
  ],
});
