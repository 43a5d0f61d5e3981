// Liveness of the livepatch model (the rules document's L1 and L3): the temporal
// properties a scenario may check, and the fairness assumptions a reviewer
// names in kernel terms, each mapped to fairness of the actions that mirror
// the kernel code involved (TLC's WF_vars, or SF_vars where the code runs
// at a moment the model leaves to chance), one condition per task.
// Without an assumption the corresponding code may simply never run again,
// which is how "T sleeps forever" is modelled: leave out `wake-up`.
// Under kpatch and park-all there is never a transition in progress: the
// administrator's enable or disable waits until one stop_machine() step
// carries it out, so L1 and L3 are about that request (globalDefinition).
import type { FairnessDefinition, TemporalDefinition } from '../engine/spec.ts';
import { requestedSwitch } from './globalSwitch.ts';
import type { Kernel } from './kernel.ts';
import type { LivepatchState } from './state.ts';

export type Assumption = 'periodic-worker' | 'tasks-run' | 'wake-up' | 'signals' | 'admin-acts';

export interface AssumptionInfo {
  readonly name: Assumption;
  /** What is assumed, in kernel terms, for reports. */
  readonly description: string;
  /** Actions under weak fairness, per parameter (per task, per patch). */
  readonly actions: readonly string[];
  /**
   * Actions under strong fairness, per parameter: code that runs whenever its
   * moment comes, where the model offers that moment as one choice among
   * others that may come and go (the worker's stack check of a task that is
   * checkable only while asleep or preempted; a kthread's kgr_task_safe() at
   * the top of its loop; a stop_machine() step retried until no stack is in
   * the way). This is the rules document's L1 condition: an opportunity that
   * comes infinitely often is eventually taken.
   */
  readonly strong: readonly string[];
}

export const ASSUMPTIONS: readonly AssumptionInfo[] = [
  {
    name: 'periodic-worker',
    description: 'klp_transition_work_fn() keeps running: a task the stack check would switch infinitely often (asleep or preempted with a clean, reliable stack, again and again) is eventually switched, and a transition that can complete does (kGraft: kgr_work_fn() finalizes)',
    actions: ['klp_complete_transition', 'kgr_finalize'],
    strong: ['klp_try_switch_task'],
  },
  {
    name: 'tasks-run',
    description: 'every runnable task keeps executing its code (calls, returns, going to sleep, preemption points, cond_resched(), leaving the kernel, the idle loop, kGraft\'s kgr_task_safe(), park-all\'s try_to_freeze() at a freezing point during a freeze, fork, exit) and a preempted task gets the CPU back; a user task need not make another syscall',
    actions: [
      'klp_ftrace_handler',
      'ret',
      'schedule',
      'preempt_point',
      'preempt_schedule_irq',
      'finish_task_switch',
      'cond_resched',
      'exit_to_user_mode',
      'do_idle',
      'do_exit',
      'copy_process',
      'dup_task_struct',
      'klp_copy_process',
      'try_to_freeze',
    ],
    strong: ['kgr_task_safe'],
  },
  {
    name: 'wake-up',
    description: 'every sleeping task is eventually woken (try_to_wake_up); leave it out to model a sleep that lasts forever',
    actions: ['try_to_wake_up'],
    strong: [],
  },
  {
    name: 'signals',
    description: 'klp_send_signals() (kGraft: kgr_send_fake_signal()) keeps sending the fake signal to pending tasks (with `signal` among the admin\'s anytime actions)',
    actions: ['klp_send_signals', 'kgr_send_fake_signal'],
    strong: [],
  },
  {
    name: 'admin-acts',
    description: 'the administrator\'s sequence is carried out (enable, disable, reverse, force are written to sysfs; kGraft: the write to /sys/kernel/kgraft/in_progress); kpatch\'s stop_machine() step is retried until it finds no task in the way, if such moments keep coming; park-all\'s freeze starts, and once every task is frozen stop_machine() switches',
    actions: ['klp_enable_patch', 'klp_disable_patch', 'klp_reverse_transition', 'klp_force_transition', 'kgr_modify_kernel', 'kgr_unmark_processes', 'freeze_processes', 'stop_machine'],
    strong: ['kpatch_apply_patch', 'kpatch_remove_patch'],
  },
];

export function assumptionNamed(name: string): AssumptionInfo | undefined {
  return ASSUMPTIONS.find((a) => a.name === name);
}

/** The fairness of a list of assumptions, restricted to the actions the scenario has. */
export function fairnessOf(assume: readonly Assumption[], actions: readonly string[]): FairnessDefinition[] {
  const present = new Set(actions);
  return assume.flatMap((name) => {
    const a = assumptionNamed(name)!;
    return [
      ...a.actions.filter((x) => present.has(x)).map((action) => ({ kind: 'weak' as const, action, perParam: true })),
      ...a.strong.filter((x) => present.has(x)).map((action) => ({ kind: 'strong' as const, action, perParam: true })),
    ];
  });
}

type Definition = TemporalDefinition<LivepatchState, Record<string, never>>;

export interface TemporalProperty {
  readonly name: string;
  /** The name in the rules document. */
  readonly alias: string;
  /** Under the per-task models (upstream, kGraft): about klp_transition_patch. */
  readonly definition: Definition;
  /** Under the one-step models (kpatch, park-all): about the administrator's request. */
  globalDefinition(k: Kernel): Definition;
  /** The words of globalDefinition, for reports that have no kernel at hand. */
  readonly globalText: { readonly description: string; readonly formula: string };
}

/** A one-step model's L1 or L3: `Requested` leads to `done`. */
function requestDefinition(text: TemporalProperty['globalText'], from: (r: 'enable' | 'disable' | undefined) => boolean): (k: Kernel) => Definition {
  return (k) => ({ ...text, leadsTo: { from: (s) => from(requestedSwitch(k, s)), to: (s) => !from(requestedSwitch(k, s)) } });
}

const L1_GLOBAL = { description: 'every enable or disable the administrator asks for is eventually carried out by the one stop_machine() step', formula: 'Requested # NONE ~> Requested = NONE' };
const L3_GLOBAL = { description: 'every disable the administrator asks for is eventually carried out by the one stop_machine() step', formula: 'Requested = disable ~> Requested # disable' };

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
    globalText: L1_GLOBAL,
    globalDefinition: requestDefinition(L1_GLOBAL, (r) => r !== undefined),
  },
  {
    name: 'unpatching-completes',
    alias: 'L3',
    definition: {
      description: 'every transition towards UNPATCHED (a disable, or a reversed enable) eventually completes',
      formula: 'klp_target_state = KLP_UNPATCHED ~> klp_transition_patch = NULL',
      leadsTo: { from: (s) => inTransition(s) && s.targetState === 'UNPATCHED', to: (s) => !inTransition(s) },
    },
    globalText: L3_GLOBAL,
    globalDefinition: requestDefinition(L3_GLOBAL, (r) => r === 'disable'),
  },
];

export function temporalPropertyNamed(name: string): TemporalProperty | undefined {
  return TEMPORAL_PROPERTIES.find((p) => p.name === name || p.alias === name);
}

/** The definition that applies under the kernel's consistency model. */
export function temporalDefinition(p: TemporalProperty, k: Kernel): Definition {
  return k.rules.model.perTask ? p.definition : p.globalDefinition(k);
}
