// One run of a livepatch scenario: its base rules, a variant's, then the
// `--rule` overrides, checked against the rule families (and the scenario's
// plug-in variants), and the rules that differ from today's kernel. Apart
// from specFile.ts so that loading a TypeScript spec does not load the
// livepatch model (a search worker's start-up: docs/performance.md).
import { KlpError } from '../engine/errors.ts';
import { livepatchSpec } from '../livepatch/model.ts';
import { RULE_FAMILIES, checkRule, resolveRules, type RuleCatalog } from '../livepatch/rules/index.ts';
import type { RuleSettings, Scenario, VariantDecl } from '../livepatch/scenario.ts';
import type { Spec } from '../engine/spec.ts';
import type { StateLike } from '../engine/value.ts';
import type { LoadedSpec } from './specFile.ts';

/** The rule families whose variant differs from today's kernel, in the families' order. */
export function changedRules(rules: RuleSettings): { [family: string]: string } {
  const out: { [family: string]: string } = {};
  for (const f of RULE_FAMILIES) if (rules[f.name] !== undefined && rules[f.name] !== f.default) out[f.name] = rules[f.name]!;
  return out;
}

/** `--rule family=variant` flags, each checked against the rule families. */
export function parseRuleFlags(flags: readonly string[], catalog: RuleCatalog = RULE_FAMILIES): RuleSettings {
  const out: { [family: string]: string } = {};
  for (const flag of flags) {
    const m = /^([A-Za-z0-9_-]+)=([A-Za-z0-9_-]+)$/.exec(flag);
    if (m === null) throw new KlpError('KLP301', `--rule takes FAMILY=VARIANT, got "${flag}"`, { hints: ['e.g. --rule fork=goal (klpcheck rules lists them)'] });
    const e = checkRule(m[1]!, m[2]!, catalog);
    if (e !== undefined) throw e;
    out[m[1]!] = m[2]!;
  }
  return out;
}

/** One run of a scenario: its base rules, a variant's, then the overrides. */
export function scenarioRun(scenario: Scenario, variantName: string | undefined, overrides: RuleSettings = {}, reduction: { symmetry?: boolean; por?: boolean } = {}): LoadedSpec {
  if (reduction.symmetry === true && reduction.por === true) {
    throw new KlpError('KLP301', '--por and --symmetry cannot be combined (yet)', { hints: ['use one reduction at a time (docs/adr/0018-partial-order-reduction.md)'] });
  }
  let variant: VariantDecl | undefined;
  if (variantName !== undefined) {
    variant = scenario.variants.find((v) => v.name === variantName);
    if (variant === undefined) {
      const names = scenario.variants.map((v) => v.name);
      throw new KlpError('KLP301', `${scenario.file} has no variant ${variantName}`, {
        hints: [names.length === 0 ? 'it declares no variants' : `its variants are: ${names.join(', ')}`],
      });
    }
  }
  const rules = { ...scenario.rules, ...(variant?.rules ?? {}), ...overrides };
  const spec = livepatchSpec(scenario, { rules, ...(variant?.admin !== undefined ? { admin: variant.admin } : {}), ...(reduction.symmetry === true ? { symmetry: true } : {}), ...(reduction.por === true ? { partialOrder: true } : {}) });
  const expect = Object.keys(overrides).length > 0 ? undefined : variant !== undefined ? variant.expect : scenario.expect;
  const resolved = resolveRules(rules, scenario.catalog);
  return {
    spec: spec as unknown as Spec<StateLike>,
    scenario: { scenario, ...pluginOrigins(resolved.fromPlugins), rules: resolved.settings, ...(variant ? { variant } : {}), ...(expect ? { expect } : {}) },
  };
}

/** The selected variants that come from a plug-in (family -> file), when there are any. */
function pluginOrigins(fromPlugins: RuleSettings): { fromPlugins?: RuleSettings } {
  return Object.keys(fromPlugins).length === 0 ? {} : { fromPlugins };
}
