// Turns a spec file into an engine spec: a TypeScript module (loadSpec), or a
// livepatch scenario in YAML (src/spec) checked under its rules, a variant's
// rules, and `--rule` overrides (which may name the scenario's plug-in
// variants). The one place the CLI tells the two apart. The livepatch side
// (scenarioRun.ts, the model, the YAML loader) is imported only for a
// scenario, so that a search worker given a TypeScript spec does not load it.
import { extname } from 'node:path';
import { KlpError } from '../engine/errors.ts';
import type { Spec } from '../engine/spec.ts';
import type { StateLike } from '../engine/value.ts';
import type { Expectation, RuleSettings, Scenario, VariantDecl } from '../livepatch/scenario.ts';
import { loadSpec } from './loadSpec.ts';

export interface LoadedSpec {
  spec: Spec<StateLike>;
  /** For a scenario: the rules in force (every family) and what the author expects. */
  scenario?: { scenario: Scenario; rules: RuleSettings; variant?: VariantDecl; expect?: Expectation; fromPlugins?: RuleSettings };
}

export function isScenarioFile(file: string): boolean {
  return ['.yaml', '.yml'].includes(extname(file));
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
  // The livepatch model and the YAML loader only for a scenario: a search
  // worker checking a TypeScript spec loads some 40 modules fewer.
  const [{ loadScenarioFile }, { parseRuleFlags, scenarioRun }] = await Promise.all([import('../spec/loadScenarioFile.ts'), import('./scenarioRun.ts')]);
  const scenario = await loadScenarioFile(file, plugins);
  return scenarioRun(scenario, options.variant, parseRuleFlags(ruleFlags, scenario.catalog), { symmetry: options.symmetry === true, por: options.por === true });
}

