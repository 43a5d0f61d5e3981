// Rule family `model`: the consistency model as a whole. Only the upstream
// per-task hybrid model exists so far; kpatch (stop_machine), kGraft and
// "park everything" will be further variants of this family.
import type { RuleFamily } from './ruleFamily.ts';

export interface ConsistencyModelImpl {
  readonly perTask: boolean;
}

export const consistencyModelRule: RuleFamily<ConsistencyModelImpl> = {
  name: 'model',
  description: 'the consistency model',
  default: 'upstream',
  variants: [{ name: 'upstream', description: 'per-task hybrid model of kernel/livepatch since v4.12', impl: { perTask: true } }],
};
