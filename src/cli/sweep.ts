// Running one scenario under many rule settings, one property at a time (the
// search stops at the first violation, so each property needs its own run to
// get its own verdict and shortest trace). Shared by `compare` and `diff`.
import { checkWithLiveness } from '../engine/liveness/checkLiveness.ts';
import { temporalPropertyNamed } from '../livepatch/liveness.ts';
import { KlpError } from '../engine/errors.ts';
import type { CheckResult } from '../engine/result.ts';
import { instantiate } from '../engine/spec.ts';
import { RULE_FAMILIES, familyNamed, type RuleCatalog } from '../livepatch/rules/index.ts';
import type { RuleSettings, Scenario } from '../livepatch/scenario.ts';
import type { Cell } from '../report/matrix.ts';
import { scenarioRun } from './specFile.ts';

export function runProperty(scenario: Scenario, variant: string | undefined, rules: RuleSettings, property: string): CheckResult {
  // A temporal property (L1, L3) is checked alone by the liveness pass, under the scenario's assume list.
  const temporal = temporalPropertyNamed(property) !== undefined;
  const options = temporal ? { invariants: [], properties: [property] } : { invariants: [property], properties: [] };
  return checkWithLiveness(instantiate(scenarioRun(scenario, variant, rules).spec, options));
}

export function cellOf(r: CheckResult): Cell {
  if (r.verdict === 'ok') return { verdict: 'safe' };
  if (r.verdict === 'invariant' || r.verdict === 'liveness') return { verdict: 'violated', traceLength: r.violation!.trace.steps.length };
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
