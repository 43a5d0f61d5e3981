// Rule family `immediate`: whether the klp_patch / klp_func `immediate`
// flags exist (v4.12-v4.15) or not (removed in v4.16 by d0807da78e11).
// When absent, patches marked immediate get an ordinary per-task transition.
import type { ImmediateVariant } from '../plugin.ts';
import type { RuleFamily } from './ruleFamily.ts';

export type ImmediateImpl = ImmediateVariant;

export const immediateRule: RuleFamily<ImmediateImpl> = {
  name: 'immediate',
  description: 'whether the immediate flags of v4.12-v4.15 exist',
  default: 'absent',
  variants: [
    { name: 'allowed', description: 'patch.immediate switches everyone at once; func.immediate skips its stack check (v4.12-v4.15)', impl: { honoured: true } },
    { name: 'absent', description: "the flags do not exist; every patch gets a per-task transition (today's kernel)", impl: { honoured: false } },
  ],
};
