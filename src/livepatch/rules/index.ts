// Every rule family in one list, and the resolution of a spec's rule
// settings into the implementations the model calls. `klpcheck rules` prints
// this list. A scenario's plug-ins extend it into a catalog (withPlugins):
// the same families with the plug-in variants appended, checked and resolved
// exactly like built-in ones.
import { KlpError } from '../../engine/errors.ts';
import { childStackRule, type ChildStackImpl } from './childStack.ts';
import { consistencyModelRule, type ConsistencyModelImpl } from './consistencyModel.ts';
import { forkRule, type ForkImpl } from './fork.ts';
import { immediateRule, type ImmediateImpl } from './immediate.ts';
import type { RuleFamily, Variant } from './ruleFamily.ts';
import { variantOf } from './ruleFamily.ts';
import { schedSwitchRule, type SchedSwitchImpl } from './schedSwitch.ts';
import { stackCheckRule, type StackCheckImpl } from './stackCheck.ts';
import { unwinderRule, type UnwinderImpl } from './unwinder.ts';
import type { RuleSettings } from '../scenario.ts';

export const RULE_FAMILIES: readonly RuleFamily<unknown>[] = [consistencyModelRule, forkRule, childStackRule, stackCheckRule, unwinderRule, immediateRule, schedSwitchRule];

/** The families a run may choose from: the built-in ones, plus plug-in variants. */
export type RuleCatalog = readonly RuleFamily<unknown>[];

/** A variant a plug-in adds to a family (its impl already guarded at the boundary). */
export interface AddedVariant {
  readonly family: string;
  readonly variant: Variant<unknown>;
}

export interface Rules {
  readonly settings: RuleSettings;
  readonly model: ConsistencyModelImpl;
  readonly fork: ForkImpl;
  readonly childStack: ChildStackImpl;
  readonly stackCheck: StackCheckImpl;
  readonly unwinder: UnwinderImpl;
  readonly immediate: ImmediateImpl;
  readonly schedSwitch: SchedSwitchImpl;
  /** Selected variants that come from a plug-in: family -> plug-in file. */
  readonly fromPlugins: { readonly [family: string]: string };
}

/** The built-in families with the added variants appended (the caller has checked names do not clash). */
export function withPlugins(added: readonly AddedVariant[]): RuleCatalog {
  if (added.length === 0) return RULE_FAMILIES;
  return RULE_FAMILIES.map((f) => {
    const more = added.filter((a) => a.family === f.name).map((a) => a.variant);
    return more.length === 0 ? f : { ...f, variants: [...f.variants, ...more] };
  });
}

export function familyNamed(name: string, catalog: RuleCatalog = RULE_FAMILIES): RuleFamily<unknown> | undefined {
  return catalog.find((f) => f.name === name);
}

/** Checks a setting; the error lists the valid choices. */
export function checkRule(family: string, variant: string, catalog: RuleCatalog = RULE_FAMILIES): KlpError | undefined {
  const f = familyNamed(family, catalog);
  if (f === undefined) {
    return new KlpError('KLP203', `unknown rule family "${family}"`, { hints: [`rule families: ${catalog.map((x) => x.name).join(', ')}`] });
  }
  if (!f.variants.some((v) => v.name === variant)) {
    return new KlpError('KLP203', `unknown ${family} rule "${variant}"`, { hints: [`valid ${family} rules: ${f.variants.map((v) => v.name).join(', ')}`] });
  }
  return undefined;
}

function pick<Impl>(base: RuleFamily<Impl>, catalog: RuleCatalog, name: string): Impl {
  return variantOf((familyNamed(base.name, catalog) ?? base) as RuleFamily<Impl>, name);
}

/** Fills in defaults (today's kernel) and resolves every family. */
export function resolveRules(settings: RuleSettings, catalog: RuleCatalog = RULE_FAMILIES): Rules {
  const full: { [family: string]: string } = {};
  for (const f of catalog) full[f.name] = settings[f.name] ?? f.default;
  for (const [family, variant] of Object.entries(settings)) {
    const e = checkRule(family, variant, catalog);
    if (e !== undefined) throw e;
  }
  const fromPlugins: { [family: string]: string } = {};
  for (const f of catalog) {
    const origin = f.variants.find((v) => v.name === full[f.name])?.origin;
    if (origin !== undefined) fromPlugins[f.name] = origin;
  }
  return {
    settings: full,
    model: pick(consistencyModelRule, catalog, full.model!),
    fork: pick(forkRule, catalog, full.fork!),
    childStack: pick(childStackRule, catalog, full['child-stack']!),
    stackCheck: pick(stackCheckRule, catalog, full['stack-check']!),
    unwinder: pick(unwinderRule, catalog, full.unwinder!),
    immediate: pick(immediateRule, catalog, full.immediate!),
    schedSwitch: pick(schedSwitchRule, catalog, full['sched-switch']!),
    fromPlugins,
  };
}
