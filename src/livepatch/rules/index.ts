// Every rule family in one list, and the resolution of a spec's rule
// settings into the implementations the model calls. `klpcheck rules` prints
// this list.
import { KlpError } from '../../engine/errors.ts';
import { childStackRule, type ChildStackImpl } from './childStack.ts';
import { consistencyModelRule, type ConsistencyModelImpl } from './consistencyModel.ts';
import { forkRule, type ForkImpl } from './fork.ts';
import { immediateRule, type ImmediateImpl } from './immediate.ts';
import type { RuleFamily } from './ruleFamily.ts';
import { variantOf } from './ruleFamily.ts';
import { stackCheckRule, type StackCheckImpl } from './stackCheck.ts';
import { unwinderRule, type UnwinderImpl } from './unwinder.ts';
import type { RuleSettings } from '../scenario.ts';

export const RULE_FAMILIES: readonly RuleFamily<unknown>[] = [consistencyModelRule, forkRule, childStackRule, stackCheckRule, unwinderRule, immediateRule];

export interface Rules {
  readonly settings: RuleSettings;
  readonly model: ConsistencyModelImpl;
  readonly fork: ForkImpl;
  readonly childStack: ChildStackImpl;
  readonly stackCheck: StackCheckImpl;
  readonly unwinder: UnwinderImpl;
  readonly immediate: ImmediateImpl;
}

export function familyNamed(name: string): RuleFamily<unknown> | undefined {
  return RULE_FAMILIES.find((f) => f.name === name);
}

/** Checks a setting; the error lists the valid choices. */
export function checkRule(family: string, variant: string): KlpError | undefined {
  const f = familyNamed(family);
  if (f === undefined) {
    return new KlpError('KLP203', `unknown rule family "${family}"`, { hints: [`rule families: ${RULE_FAMILIES.map((x) => x.name).join(', ')}`] });
  }
  if (!f.variants.some((v) => v.name === variant)) {
    return new KlpError('KLP203', `unknown ${family} rule "${variant}"`, { hints: [`valid ${family} rules: ${f.variants.map((v) => v.name).join(', ')}`] });
  }
  return undefined;
}

/** Fills in defaults (today's kernel) and resolves every family. */
export function resolveRules(settings: RuleSettings): Rules {
  const full: { [family: string]: string } = {};
  for (const f of RULE_FAMILIES) full[f.name] = settings[f.name] ?? f.default;
  for (const [family, variant] of Object.entries(settings)) {
    const e = checkRule(family, variant);
    if (e !== undefined) throw e;
  }
  return {
    settings: full,
    model: variantOf(consistencyModelRule, full.model!),
    fork: variantOf(forkRule, full.fork!),
    childStack: variantOf(childStackRule, full['child-stack']!),
    stackCheck: variantOf(stackCheckRule, full['stack-check']!),
    unwinder: variantOf(unwinderRule, full.unwinder!),
    immediate: variantOf(immediateRule, full.immediate!),
  };
}
