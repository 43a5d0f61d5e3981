// Rule family `sched-switch`: where a task that is not asleep may check and
// switch itself (__klp_sched_try_switch(): klp_try_switch_task(current), the
// periodic worker's rules minus the "running elsewhere" -EBUSY). It decides
// whether a CPU-bound kthread, which the worker always finds running, ever
// switches (S13 in docs/scenarios.md#s13). Three kernel eras:
// - `none`, v4.12 to v6.3: no such hook; only the worker's stack check of a
//   task that is off the CPU, and a kthread never reaches user space;
// - `cond-resched`, v6.4 to v6.15 ("livepatch,sched: Add livepatch task
//   switching to cond_resched()", Josh Poimboeuf, 2023): klp_sched_try_switch()
//   in every flavour of cond_resched() while a transition is in progress;
// - `freezable-sleep`, v6.16 on ("sched,livepatch: Untangle cond_resched() and
//   live-patching", 676e8cf70cb0, Peter Zijlstra, 2025): the hook moved to
//   __schedule() and runs only when the task goes to sleep with TASK_FREEZABLE
//   set; cond_resched() no longer switches anyone.
// Only the upstream model has the hook (the other models ignore this family).
import type { RuleFamily } from './ruleFamily.ts';

export interface SchedSwitchImpl {
  /** cond_resched() calls klp_sched_try_switch(). */
  readonly atCondResched: boolean;
  /** __schedule() calls klp_sched_try_switch() for a sleep with TASK_FREEZABLE. */
  readonly atFreezableSleep: boolean;
}

export const schedSwitchRule: RuleFamily<SchedSwitchImpl> = {
  name: 'sched-switch',
  description: 'where a running task may check and switch itself (__klp_sched_try_switch())',
  default: 'freezable-sleep',
  variants: [
    { name: 'none', description: 'no self-switch: only the periodic stack check of a task off the CPU (v4.12-v6.3)', impl: { atCondResched: false, atFreezableSleep: false } },
    { name: 'cond-resched', description: 'every cond_resched() checks and switches the caller (v6.4-v6.15)', impl: { atCondResched: true, atFreezableSleep: false } },
    {
      name: 'freezable-sleep',
      description: "__schedule() checks and switches a task going to sleep with TASK_FREEZABLE; cond_resched() does not (v6.16 on, today's kernel)",
      impl: { atCondResched: false, atFreezableSleep: true },
    },
  ],
};
