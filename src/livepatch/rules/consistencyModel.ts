// Rule family `model`: the consistency model as a whole, i.e. how a running
// kernel is switched to the new code. Four models over one state and one
// action set (docs/adr/0013): the upstream per-task hybrid (v4.12+), kpatch's
// stop_machine step with an all-task stack check (kpatch_apply_patch), kGraft's
// lazy per-task universes switched at the user/kernel boundary, and Ingo
// Molnar's 2015 "park every task, then switch" method. A model picks which
// switching actions exist (model.ts); the other rule families it makes
// meaningless are listed in `ignores` and printed by `klpcheck rules`.
import type { RuleFamily } from './ruleFamily.ts';

export type ModelKind = 'upstream' | 'kpatch' | 'kgraft' | 'park-all';

export interface ConsistencyModelImpl {
  readonly kind: ModelKind;
  /** Tasks carry their own patch state during a transition (upstream, kGraft). */
  readonly perTask: boolean;
  /** Rule families whose setting this model does not consult. */
  readonly ignores: readonly string[];
}

// kpatch walks whole stacks itself (no unwinder gate, no per-version check);
// `fork` still decides whether copy_process() is one step or two, but the
// child's patch state it copies is always UNDEFINED under the global models.
const GLOBAL_IGNORES = ['stack-check', 'unwinder', 'immediate', 'sched-switch'];

function ignoring(description: string, ignores: readonly string[]): string {
  return ignores.length === 0 ? description : `${description}; ignores rules ${ignores.join(', ')}`;
}

const impls: readonly ConsistencyModelImpl[] = [
  { kind: 'upstream', perTask: true, ignores: [] },
  { kind: 'kpatch', perTask: false, ignores: GLOBAL_IGNORES },
  { kind: 'kgraft', perTask: true, ignores: ['stack-check', 'unwinder', 'immediate', 'sched-switch'] },
  { kind: 'park-all', perTask: false, ignores: GLOBAL_IGNORES },
];

const descriptions: { readonly [k in ModelKind]: string } = {
  upstream: 'per-task hybrid model of kernel/livepatch since v4.12',
  kpatch: 'kpatch core: stop_machine(kpatch_apply_patch) switches every task at once iff no stack holds a function of the patch, else retries later',
  kgraft: 'kGraft: per-task universes (TIF_KGR_IN_PROGRESS) switched at syscall entry/exit and kthread kgr_task_safe() points, no stack check; fake signal and forced finish (/sys/kernel/kgraft/in_progress) when the admin has signal / force',
  'park-all': "Ingo Molnar's 2015 method: the freezer holds each task at its freezing point (user space, the top of a kthread's loop); once every task is frozen, stop_machine switches all at once; never a partial state",
};

export function modelDescription(kind: ModelKind): string {
  return descriptions[kind];
}

export const consistencyModelRule: RuleFamily<ConsistencyModelImpl> = {
  name: 'model',
  description: 'the consistency model',
  default: 'upstream',
  variants: impls.map((impl) => ({ name: impl.kind, description: ignoring(descriptions[impl.kind], impl.ignores), impl })),
};
