// Turns a spec file into an engine spec: a TypeScript module (loadSpec), or a
// livepatch scenario in YAML (src/spec) checked under its rules, a variant's
// rules, and `--rule` overrides (which may name the scenario's plug-in
// variants). The one place the CLI tells the two apart.
import { extname } from 'node:path';
import { KlpError } from '../engine/errors.ts';
import type { Spec } from '../engine/spec.ts';
import type { StateLike } from '../engine/value.ts';
import { livepatchSpec } from '../livepatch/model.ts';
import { RULE_FAMILIES, checkRule, resolveRules, type RuleCatalog } from '../livepatch/rules/index.ts';
import type { Expectation, RuleSettings, Scenario, VariantDecl } from '../livepatch/scenario.ts';
import { loadScenarioFile } from '../spec/loadScenarioFile.ts';
import { loadSpec } from './loadSpec.ts';

export interface LoadedSpec {
  spec: Spec<StateLike>;
  /** For a scenario: the rules in force (every family) and what the author expects. */
  scenario?: { scenario: Scenario; rules: RuleSettings; variant?: VariantDecl; expect?: Expectation; fromPlugins?: RuleSettings };
}

export function isScenarioFile(file: string): boolean {
  return ['.yaml', '.yml'].includes(extname(file));
}

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

export async function loadSpecFile(file: string, options: { rules?: readonly string[]; variant?: string; plugins?: readonly string[]; symmetry?: boolean; por?: boolean } = {}): Promise<LoadedSpec> {
  if (file.trim() === '') throw new KlpError('KLP301', 'the spec file name is empty', { hints: ['name a scenario (.yaml) or a spec module (.ts)'] });
  const ruleFlags = options.rules ?? [];
  const plugins = options.plugins ?? [];
  if (!isScenarioFile(file)) {
    if (plugins.length > 0) throw new KlpError('KLP301', '--plugin applies to livepatch scenario files (.yaml) only');
    if (ruleFlags.length > 0 || options.variant !== undefined || options.symmetry === true || options.por === true) {
      throw new KlpError('KLP301', '--rule, --variant, --symmetry and --por apply to livepatch scenario files (.yaml) only');
    }
    return { spec: await loadSpec(file) };
  }
  const scenario = await loadScenarioFile(file, plugins);
  return scenarioRun(scenario, options.variant, parseRuleFlags(ruleFlags, scenario.catalog), { symmetry: options.symmetry === true, por: options.por === true });
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
  return {
    spec: spec as unknown as Spec<StateLike>,
    scenario: { scenario, ...pluginOrigins(resolveRules(rules, scenario.catalog).fromPlugins), rules: resolveRules(rules, scenario.catalog).settings, ...(variant ? { variant } : {}), ...(expect ? { expect } : {}) },
  };
}

/** The selected variants that come from a plug-in (family -> file), when there are any. */
function pluginOrigins(fromPlugins: RuleSettings): { fromPlugins?: RuleSettings } {
  return Object.keys(fromPlugins).length === 0 ? {} : { fromPlugins };
}
