// `klpcheck diff SPEC --from fork=copy-parent --to fork=goal` (or
// `klpcheck diff OLD.yaml NEW.yaml`): which properties the change breaks
// (with the new shortest counterexample), which it fixes (with the old one),
// which stay as they were. Output in the mail format, ready to answer a patch.
// Whether the transition completes (L1) is compared too, added under every
// assumption when the scenarios check no temporal property (sweep.ts).
// Two files: first what changed in the scenario itself. A property violated
// before and after: the old trace, then of the new one only the steps that
// differ (the steps that are the same are named, not repeated).
import { readFileSync } from 'node:fs';
import { KlpError } from '../engine/errors.ts';
import type { CheckResult } from '../engine/result.ts';
import { propertyNamed } from '../livepatch/properties.ts';
import { resolveRules } from '../livepatch/rules/index.ts';
import type { RuleSettings, Scenario } from '../livepatch/scenario.ts';
import { livepatchNarrator, livepatchNarratorFor } from '../report/livepatchNarrator.ts';
import { MAIL_WIDTH, ascii, narratedStep, renderMail, whyText, wrap } from '../report/mailReport.ts';
import { scenarioChanges } from '../report/scenarioDiff.ts';
import type { Narrator } from '../report/narrator.ts';
import { loadScenarioFile } from '../spec/loadScenarioFile.ts';
import type { Io } from './checkCommand.ts';
import { changedRules, parseRuleFlags } from './scenarioRun.ts';
import { isScenarioFile } from './specFile.ts';
import { VERSION } from './version.ts';
import { runProperty, sweptProperties, vacuityOf } from './sweep.ts';
import { temporalPropertyNamed } from '../livepatch/liveness.ts';

export interface DiffArgs {
  specs: readonly string[];
  from: readonly string[];
  to: readonly string[];
  variant: string | undefined;
  /** Plug-in files loaded besides the scenarios' own (--plugin). */
  plugin?: readonly string[];
}

interface Side {
  label: string;
  file: string;
  scenario: Scenario;
  rules: RuleSettings;
  flags: readonly string[];
}

async function sides(args: DiffArgs): Promise<[Side, Side]> {
  for (const f of args.specs) if (!isScenarioFile(f)) throw new KlpError('KLP301', `diff takes livepatch scenario files (.yaml), not ${f}`);
  if (args.specs.length === 2) {
    if (args.from.length > 0 || args.to.length > 0) throw new KlpError('KLP301', 'give either two spec files or --from/--to, not both');
    const a = await loadScenarioFile(args.specs[0]!, args.plugin ?? []);
    const b = await loadScenarioFile(args.specs[1]!, args.plugin ?? []);
    return [
      { label: args.specs[0]!, file: args.specs[0]!, scenario: a, rules: {}, flags: [] },
      { label: args.specs[1]!, file: args.specs[1]!, scenario: b, rules: {}, flags: [] },
    ];
  }
  if (args.specs.length !== 1) throw new KlpError('KLP301', 'diff takes one spec file with --from/--to, or two spec files');
  if (args.from.length === 0 || args.to.length === 0) throw new KlpError('KLP301', 'diff SPEC needs both --from and --to (FAMILY=VARIANT)');
  const scenario = await loadScenarioFile(args.specs[0]!, args.plugin ?? []);
  const from = parseRuleFlags(args.from, scenario.catalog);
  const to = parseRuleFlags(args.to, scenario.catalog);
  const full = (r: RuleSettings): string => JSON.stringify(resolveRules({ ...scenario.rules, ...r }, scenario.catalog).settings);
  if (full(from) === full(to)) throw new KlpError('KLP301', '--from and --to give the same rules: nothing to compare');
  return [
    { label: args.from.join(' '), file: args.specs[0]!, scenario, rules: from, flags: args.from },
    { label: args.to.join(' '), file: args.specs[0]!, scenario, rules: to, flags: args.to },
  ];
}

function report(side: Side, variant: string | undefined, property: string, result: CheckResult): string {
  const invariant = propertyNamed(property);
  const temporal = temporalPropertyNamed(property);
  const perTask = resolveRules({ ...side.scenario.rules, ...side.rules }, side.scenario.catalog).model.perTask;
  const p = invariant ?? { name: temporal!.name, alias: temporal!.alias, description: perTask ? temporal!.definition.description : temporal!.globalText.description };
  const flags = [...(variant ? [`--variant ${variant}`] : []), ...side.flags.map((f) => `--rule ${f}`), invariant ? `--invariant ${property}` : `--property ${property}`, '--format mail'];
  // The L1 a sweep adds (not in the scenario's check list): `check` cannot run it; `compare` shows the same cell.
  const added = !side.scenario.check.includes(property);
  const model = resolveRules({ ...side.scenario.rules, ...side.rules }, side.scenario.catalog).settings.model!;
  const vary = side.flags.length > 0 ? side.flags.map((f) => `--vary ${f}`) : [`--vary model=${model}`];
  const reproduce = added ? `npx klpcheck compare ${side.file} ${[...(variant ? [`--variant ${variant}`] : []), ...vary].join(' ')}` : `npx klpcheck check ${side.file} ${flags.join(' ')}`;
  const resolved = resolveRules({ ...side.scenario.rules, ...side.rules }, side.scenario.catalog);
  return renderMail({
    specFile: side.file,
    title: side.scenario.title,
    ...(variant ? { variant } : {}),
    rules: changedRules(resolved.settings),
    version: VERSION,
    ...(Object.keys(resolved.fromPlugins).length > 0 ? { plugins: resolved.fromPlugins } : {}),
    properties: [{ name: p.name, alias: p.alias, description: p.description }],
    reproduce,
    result,
    narrator: livepatchNarratorFor(resolveRules({ ...side.scenario.rules, ...side.rules }).settings.model) as Narrator,
  });
}

/**
 * The new trace against the old one: when every step is the same, one line;
 * else which steps are the same (the longest common run of steps, so one
 * inserted step does not make every later one "different"), then only the
 * steps of the new trace that differ. A step is the same when the narrator
 * tells it the same way, step number and marker aside.
 */
export function traceDelta(old: CheckResult, neu: CheckResult): string {
  const narrator = livepatchNarrator as Narrator;
  const a = old.violation!;
  const b = neu.violation!;
  const told = (v: typeof a): string[] => v.trace.steps.map((_, i) => {
    const lines = narratedStep(v.trace, i, narrator);
    return [lines[0]!.slice(7), ...lines.slice(1)].join('\n');
  });
  const ta = told(a);
  const tb = told(b);
  const pairs = commonSteps(ta, tb);
  const matched = new Set(pairs.map(([, j]) => j));
  const whyA = whyText(a).join(' ');
  const whyB = whyText(b).join(' ');
  if (pairs.length === ta.length && pairs.length === tb.length && whyA === whyB) {
    return `${wrap('The new trace is the same as the old one, step for step.', '', '').join('\n')}\n`;
  }
  const out: string[] = [];
  const sameText = pairs.length === 0
    ? 'no step is the same as in the old one'
    : `steps ${ranges(pairs.map(([, j]) => j + 1))} are the same as the old trace's steps ${ranges(pairs.map(([i]) => i + 1))}`;
  out.push(...wrap(`The new trace (${b.trace.steps.length} states): ${sameText}; the steps that differ:`, '', ''), '');
  tb.forEach((_, j) => {
    if (!matched.has(j)) out.push(...narratedStep(b.trace, j, narrator));
  });
  out.push('', ...whyText(b));
  return `${ascii(out.join('\n'))}\n`;
}

/** Index pairs (old, new) of a longest common subsequence of the two step lists. */
function commonSteps(a: readonly string[], b: readonly string[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  const len: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) len[i]![j] = a[i] === b[j] ? len[i + 1]![j + 1]! + 1 : Math.max(len[i + 1]![j]!, len[i]![j + 1]!);
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[i] === b[j]) pairs.push([i++, j++]);
    else if (len[i + 1]![j]! >= len[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

/** [1,2,3,5] -> "1-3, 5". */
function ranges(ns: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < ns.length; ) {
    let j = i;
    while (j + 1 < ns.length && ns[j + 1] === ns[j]! + 1) j++;
    out.push(i === j ? String(ns[i]) : `${ns[i]}-${ns[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}

export async function diffCommand(args: DiffArgs, io: Io): Promise<number> {
  const [before, after] = await sides(args);
  // Besides the safety verdicts, L1: the scenarios' own, or added under every assumption (sweep.ts).
  const both = sweptProperties(before.scenario);
  const properties = sweptProperties(after.scenario).filter((p) => both.includes(p));
  const oneSided = [
    ...before.scenario.check.filter((p) => !after.scenario.check.includes(p)).map((p) => `${p} (old side only)`),
    ...after.scenario.check.filter((p) => !before.scenario.check.includes(p)).map((p) => `${p} (new side only)`),
  ];
  const breaks: string[] = [];
  const fixes: string[] = [];
  const same: string[] = [];
  const details: string[] = [];
  for (const p of properties) {
    const old = runProperty(before.scenario, args.variant, before.rules, p);
    const neu = runProperty(after.scenario, args.variant, after.rules, p);
    const oldBad = old.verdict === 'invariant' || old.verdict === 'liveness';
    const newBad = neu.verdict === 'invariant' || neu.verdict === 'liveness';
    if (!oldBad && newBad) {
      breaks.push(`${p} (new counterexample: ${neu.violation!.trace.steps.length} states)`);
      details.push(`Broken by the change: ${p}\n\n${report(after, args.variant, p, neu)}`);
    } else if (oldBad && !newBad) {
      fixes.push(`${p} (old counterexample: ${old.violation!.trace.steps.length} states${vacuityOf(neu).length > 0 ? '; now it holds vacuously: nothing to check' : ''})`);
      details.push(`Fixed by the change: ${p}\n\n${report(before, args.variant, p, old)}`);
    } else {
      const vOld = vacuityOf(old).length > 0;
      const vNew = vacuityOf(neu).length > 0;
      const held = vOld && vNew ? 'holds vacuously before and after' : vOld ? 'holds before (vacuously) and after' : vNew ? 'holds before and after (vacuously)' : 'holds before and after';
      same.push(`${p} (${oldBad ? `violated before and after, ${old.violation!.trace.steps.length} -> ${neu.violation!.trace.steps.length} states` : held})`);
      if (oldBad && newBad) details.push(`Violated before and after: ${p}\n\n${report(before, args.variant, p, old)}\n${traceDelta(old, neu)}`);
    }
  }
  const out: string[] = [];
  if (before.file !== after.file) {
    const changes = scenarioChanges(readFileSync(before.file, 'utf8'), readFileSync(after.file, 'utf8'));
    out.push(`Spec changes (${before.file} -> ${after.file}):`.length <= MAIL_WIDTH ? `Spec changes (${before.file} -> ${after.file}):` : 'Spec changes (old file -> new file):');
    out.push(...(changes.length === 0 ? ['  (none in rules, functions, patches, tasks, admin or check)'] : changes), '');
  }
  const field = (label: string, items: string[]): void => {
    if (items.length === 0) out.push(`${label.padEnd(11)}(none)`);
    items.forEach((item, i) => out.push(...wrap(item, i === 0 ? label.padEnd(11) : ' '.repeat(11), ' '.repeat(13))));
  };
  out.push(...wrap(`${before.label} -> ${after.label}`, 'Change:    ', ' '.repeat(11)));
  if (before.file === after.file) out.push(...wrap(before.file, 'Spec:      ', ' '.repeat(11)));
  field('Breaks:', breaks);
  field('Fixes:', fixes);
  field('Unchanged:', same);
  if (oneSided.length > 0) field('One side:', oneSided);
  io.out(`${ascii(out.join('\n'))}\n`);
  for (const d of details) io.out(`\n${'-'.repeat(MAIL_WIDTH)}\n${d}`);
  return 0;
}
