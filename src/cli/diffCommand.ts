// `klpcheck diff SPEC --from fork=copy-parent --to fork=goal` (or
// `klpcheck diff OLD.yaml NEW.yaml`): which properties the change breaks
// (with the new shortest counterexample), which it fixes (with the old one),
// which stay as they were. Output in the mail format, ready to answer a patch.
import { KlpError } from '../engine/errors.ts';
import type { CheckResult } from '../engine/result.ts';
import { propertyNamed } from '../livepatch/properties.ts';
import { resolveRules } from '../livepatch/rules/index.ts';
import type { RuleSettings, Scenario } from '../livepatch/scenario.ts';
import { livepatchNarrator } from '../report/livepatchNarrator.ts';
import { MAIL_WIDTH, ascii, renderMail, wrap } from '../report/mailReport.ts';
import type { Narrator } from '../report/narrator.ts';
import { loadScenarioFile } from '../spec/loadScenarioFile.ts';
import type { Io } from './checkCommand.ts';
import { isScenarioFile, parseRuleFlags } from './specFile.ts';
import { runProperty } from './sweep.ts';

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
  const p = propertyNamed(property)!;
  const resolved = resolveRules({ ...side.scenario.rules, ...side.rules }, side.scenario.catalog);
  const flags = [...(variant ? [`--variant ${variant}`] : []), ...side.flags.map((f) => `--rule ${f}`), `--invariant ${property}`, '--format mail'];
  return renderMail({
    specFile: side.file,
    title: side.scenario.title,
    ...(variant ? { variant } : {}),
    rules: resolved.settings,
    ...(Object.keys(resolved.fromPlugins).length > 0 ? { plugins: resolved.fromPlugins } : {}),
    properties: [{ name: p.name, alias: p.alias, description: p.description }],
    reproduce: `npx klpcheck check ${side.file} ${flags.join(' ')}`,
    result,
    narrator: livepatchNarrator as Narrator,
  });
}

export async function diffCommand(args: DiffArgs, io: Io): Promise<number> {
  const [before, after] = await sides(args);
  const properties = after.scenario.check.filter((p) => before.scenario.check.includes(p));
  const breaks: string[] = [];
  const fixes: string[] = [];
  const same: string[] = [];
  const details: string[] = [];
  for (const p of properties) {
    const old = runProperty(before.scenario, args.variant, before.rules, p);
    const neu = runProperty(after.scenario, args.variant, after.rules, p);
    const oldBad = old.verdict === 'invariant';
    const newBad = neu.verdict === 'invariant';
    if (!oldBad && newBad) {
      breaks.push(`${p} (new counterexample: ${neu.violation!.trace.steps.length} states)`);
      details.push(`Broken by the change: ${p}\n\n${report(after, args.variant, p, neu)}`);
    } else if (oldBad && !newBad) {
      fixes.push(`${p} (old counterexample: ${old.violation!.trace.steps.length} states)`);
      details.push(`Fixed by the change: ${p}\n\n${report(before, args.variant, p, old)}`);
    } else {
      same.push(`${p} (${oldBad ? `violated before and after, ${old.violation!.trace.steps.length} -> ${neu.violation!.trace.steps.length} states` : 'holds before and after'})`);
    }
  }
  const out: string[] = [];
  const field = (label: string, items: string[]): void => {
    if (items.length === 0) out.push(`${label.padEnd(11)}(none)`);
    items.forEach((item, i) => out.push(...wrap(item, i === 0 ? label.padEnd(11) : ' '.repeat(11), ' '.repeat(13))));
  };
  out.push(...wrap(`${before.label} -> ${after.label}`, 'Change:    ', ' '.repeat(11)));
  if (before.file === after.file) out.push(...wrap(before.file, 'Spec:      ', ' '.repeat(11)));
  field('Breaks:', breaks);
  field('Fixes:', fixes);
  field('Unchanged:', same);
  io.out(`${ascii(out.join('\n'))}\n`);
  for (const d of details) io.out(`\n${'-'.repeat(MAIL_WIDTH)}\n${d}`);
  return 0;
}
