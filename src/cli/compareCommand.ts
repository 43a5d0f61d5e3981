// `klpcheck compare SPEC --vary fork=goal,initial,copy-parent --vary
// child-stack=empty,synthetic-initial,copy-parent`: every combination of the
// swept rules, every property the scenario checks, as a matrix; beside the
// safety verdicts, whether the transition completes (L1: the scenario's own,
// or one added under every assumption when it checks none). The swept
// variants may come from the scenario's plug-ins.
import { KlpError } from '../engine/errors.ts';
import { renderSweepJson, renderSweepMarkdown, renderSweepText, type Sweep, type SweepRow } from '../report/matrix.ts';
import { loadScenarioFile } from '../spec/loadScenarioFile.ts';
import type { Io } from './checkCommand.ts';
import { isScenarioFile } from './specFile.ts';
import { cellOf, combinations, parseVary, runProperty, sweptProperties } from './sweep.ts';

export interface CompareArgs {
  spec: string;
  vary: readonly string[];
  variant: string | undefined;
  format: 'text' | 'markdown' | 'json';
  /** Plug-in files loaded besides the scenario's own (--plugin). */
  plugin?: readonly string[];
}

export async function compareCommand(args: CompareArgs, io: Io): Promise<number> {
  if (!isScenarioFile(args.spec)) throw new KlpError('KLP301', 'compare takes a livepatch scenario file (.yaml)');
  if (args.vary.length === 0) parseVary(args.vary); // the usage error comes before any file is read
  const scenario = await loadScenarioFile(args.spec, args.plugin ?? []);
  const { families, values } = parseVary(args.vary, scenario.catalog);
  const properties = sweptProperties(scenario);
  const rows: SweepRow[] = [];
  for (const rules of combinations(families, values)) {
    const cells: { [property: string]: ReturnType<typeof cellOf> } = {};
    for (const p of properties) cells[p] = cellOf(runProperty(scenario, args.variant, rules, p));
    rows.push({ rules, cells });
  }
  const sweep: Sweep = { spec: args.spec, title: scenario.title, families, values, properties, rows, ...(properties.length > scenario.check.length ? { addedCompletion: true } : {}) };
  io.out(args.format === 'json' ? renderSweepJson(sweep) : args.format === 'markdown' ? renderSweepMarkdown(sweep) : renderSweepText(sweep));
  return 0;
}
