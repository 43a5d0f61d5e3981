// Running one scenario under many rule settings, one property at a time (the
// search stops at the first violation, so each property needs its own run to
// get its own verdict and shortest trace). Shared by `compare` and `diff`.
import { checkWithLiveness } from '../engine/liveness/checkLiveness.ts';
import { ASSUMPTIONS, temporalPropertyNamed, type Assumption } from '../livepatch/liveness.ts';
import { KlpError } from '../engine/errors.ts';
import type { CheckResult, CheckWarning } from '../engine/result.ts';
import { instantiate } from '../engine/spec.ts';
import { RULE_FAMILIES, familyNamed, type RuleCatalog } from '../livepatch/rules/index.ts';
import type { RuleSettings, Scenario } from '../livepatch/scenario.ts';
import type { Cell } from '../report/matrix.ts';
import { scenarioRun } from './scenarioRun.ts';

/** The assumptions of the L1 a sweep adds to a scenario that has no assume list: every one. */
export const SWEEP_ASSUME: readonly Assumption[] = ASSUMPTIONS.map((a) => a.name);

/**
 * The properties a sweep (compare, diff) reports: the scenario's own, and
 * transition-completes (L1) when it checks no temporal property, so that a
 * "safe" never hides a transition that stalls (unwinder=none with a
 * kthread: nothing is ever switched, so nothing is ever switched wrongly).
 */
export function sweptProperties(scenario: Scenario): string[] {
  return addsCompletion(scenario) ? [...scenario.check, COMPLETES] : [...scenario.check];
}

const COMPLETES = 'transition-completes';

/** The scenario checks no temporal property: a sweep adds L1. */
export function addsCompletion(scenario: Scenario): boolean {
  return !scenario.check.some((p) => temporalPropertyNamed(p) !== undefined);
}

export function runProperty(scenario: Scenario, variant: string | undefined, rules: RuleSettings, property: string): CheckResult {
  // A temporal property (L1, L3) is checked alone by the liveness pass, under
  // the scenario's assume list; the L1 a sweep adds, under every assumption
  // when the scenario has none.
  const temporal = temporalPropertyNamed(property) !== undefined;
  const sc = temporal && !scenario.check.includes(property) ? { ...scenario, check: [...scenario.check, property], assume: scenario.assume ?? SWEEP_ASSUME } : scenario;
  const options = temporal ? { invariants: [], properties: [property] } : { invariants: [property], properties: [] };
  return checkWithLiveness(instantiate(scenarioRun(sc, variant, rules).spec, options));
}

/**
 * The warnings that make one property's run vacuous. A sweep checks each
 * property alone on purpose, so "left out by the selection" (KLP504) is not one.
 */
export function vacuityOf(r: CheckResult): readonly CheckWarning[] {
  return r.warnings.filter((w) => w.code !== 'KLP504');
}

export function cellOf(r: CheckResult): Cell {
  if (r.verdict === 'ok') return { verdict: 'safe', ...(r.liveness !== undefined ? { temporal: true } : {}), ...(vacuityOf(r).length > 0 ? { vacuous: true } : {}) };
  if (r.verdict === 'invariant') return { verdict: 'violated', traceLength: r.violation!.trace.steps.length };
  if (r.verdict === 'liveness') return { verdict: 'violated', traceLength: r.violation!.trace.steps.length, temporal: true };
  return { verdict: 'incomplete' };
}

/** `--vary family=a,b,c` flags: every family and value checked, none empty, none repeated. */
export function parseVary(flags: readonly string[], catalog: RuleCatalog = RULE_FAMILIES): { families: string[]; values: { [family: string]: string[] } } {
  if (flags.length === 0) throw new KlpError('KLP301', 'compare needs at least one --vary FAMILY=VARIANT,VARIANT');
  const families: string[] = [];
  const values: { [family: string]: string[] } = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const family = eq < 0 ? flag : flag.slice(0, eq);
    const list = eq < 0 ? [] : flag.slice(eq + 1).split(',').map((x) => x.trim()).filter((x) => x !== '');
    const f = familyNamed(family, catalog);
    if (f === undefined) {
      throw new KlpError('KLP203', `--vary: unknown rule family "${family}"`, { hints: ['klpcheck rules lists the families'] });
    }
    if (list.length === 0) throw new KlpError('KLP301', `--vary ${family}= sweeps no variant`, { hints: [`valid ${family} rules: ${f.variants.map((v) => v.name).join(', ')}`] });
    if (family in values) throw new KlpError('KLP301', `--vary ${family} is given twice`);
    for (const v of list) {
      if (!f.variants.some((x) => x.name === v)) {
        throw new KlpError('KLP203', `--vary: unknown ${family} rule "${v}"`, { hints: [`valid ${family} rules: ${f.variants.map((x) => x.name).join(', ')}`] });
      }
    }
    if (new Set(list).size !== list.length) throw new KlpError('KLP301', `--vary ${family} names a variant twice`);
    families.push(family);
    values[family] = list;
  }
  return { families, values };
}

export function* combinations(families: readonly string[], values: { readonly [family: string]: readonly string[] }): Generator<{ [family: string]: string }> {
  if (families.length === 0) {
    yield {};
    return;
  }
  const [first, ...rest] = families;
  for (const v of values[first!]!) for (const tail of combinations(rest, values)) yield { [first!]: v, ...tail };
}
