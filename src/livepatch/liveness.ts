// Liveness of the livepatch model (the rules document's L1 and L3): the temporal
// properties a scenario may check, and the fairness assumptions a reviewer
// names in kernel terms, each mapped to weak fairness (TLC's WF_vars) of the
// actions that mirror the kernel code involved, one condition per task.
// Without an assumption the corresponding code may simply never run again,
// which is how "T sleeps forever" is modelled: leave out `wake-up`.
import type { FairnessDefinition, TemporalDefinition } from '../engine/spec.ts';
import type { LivepatchState } from './state.ts';

export type Assumption = 'periodic-worker' | 'tasks-run' | 'wake-up' | 'signals' | 'admin-acts';

export interface AssumptionInfo {
  readonly name: Assumption;
  /** What is assumed, in kernel terms, for reports. */
  readonly description: string;
  /** Actions under weak fairness, per parameter (per task, per patch). */
  readonly actions: readonly string[];
}

export const ASSUMPTIONS: readonly AssumptionInfo[] = [
  {
    name: 'periodic-worker',
    description: 'klp_transition_work_fn() keeps running: every task the stack check would switch is switched, and a transition that can complete does',
    actions: ['klp_try_switch_task', 'klp_complete_transition'],
  },
  {
    name: 'tasks-run',
    description: 'every runnable task keeps executing its code (calls, returns, going to sleep, leaving the kernel, the idle loop, fork, exit); a user task need not make another syscall',
    actions: ['klp_ftrace_handler', 'ret', 'schedule', 'exit_to_user_mode', 'do_idle', 'do_exit', 'copy_process', 'dup_task_struct', 'klp_copy_process'],
  },
  {
    name: 'wake-up',
    description: 'every sleeping task is eventually woken (try_to_wake_up); leave it out to model a sleep that lasts forever',
    actions: ['try_to_wake_up'],
  },
  {
    name: 'signals',
    description: 'klp_send_signals() keeps sending the fake signal to pending tasks (with `signal` among the admin\'s anytime actions)',
    actions: ['klp_send_signals'],
  },
  {
    name: 'admin-acts',
    description: 'the administrator\'s sequence is carried out (enable, disable, reverse, force are written to sysfs)',
    actions: ['klp_enable_patch', 'klp_disable_patch', 'klp_reverse_transition', 'klp_force_transition'],
  },
];

export function assumptionNamed(name: string): AssumptionInfo | undefined {
  return ASSUMPTIONS.find((a) => a.name === name);
}

/** The fairness of a list of assumptions, restricted to the actions the scenario has. */
export function fairnessOf(assume: readonly Assumption[], actions: readonly string[]): FairnessDefinition[] {
  const present = new Set(actions);
  return assume.flatMap((name) => assumptionNamed(name)!.actions.filter((a) => present.has(a)).map((action) => ({ kind: 'weak' as const, action, perParam: true })));
}

export interface TemporalProperty {
  readonly name: string;
  /** The name in the rules document. */
  readonly alias: string;
  readonly definition: TemporalDefinition<LivepatchState, Record<string, never>>;
}

const inTransition = (s: LivepatchState): boolean => s.transitionPatch !== '';

export const TEMPORAL_PROPERTIES: readonly TemporalProperty[] = [
  {
    name: 'transition-completes',
    alias: 'L1',
    definition: {
      description: 'every started transition eventually completes (klp_transition_patch becomes NULL again)',
      formula: 'klp_transition_patch # NULL ~> klp_transition_patch = NULL',
      leadsTo: { from: inTransition, to: (s) => !inTransition(s) },
    },
  },
  {
    name: 'unpatching-completes',
    alias: 'L3',
    definition: {
      description: 'every transition towards UNPATCHED (a disable, or a reversed enable) eventually completes',
      formula: 'klp_target_state = KLP_UNPATCHED ~> klp_transition_patch = NULL',
      leadsTo: { from: (s) => inTransition(s) && s.targetState === 'UNPATCHED', to: (s) => !inTransition(s) },
    },
  },
];

export function temporalPropertyNamed(name: string): TemporalProperty | undefined {
  return TEMPORAL_PROPERTIES.find((p) => p.name === name || p.alias === name);
}
