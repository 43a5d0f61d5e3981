// `klpcheck compare SPEC --vary fork=goal,initial,copy-parent --vary
// child-stack=empty,synthetic-initial,copy-parent`: every combination of the
// swept rules, every property the scenario checks, as a matrix.
import { KlpError } from '../engine/errors.ts';
import { renderSweepJson, renderSweepMarkdown, renderSweepText, type Sweep, type SweepRow } from '../report/matrix.ts';
import { loadScenario } from '../spec/loadScenario.ts';
import type { Io } from './checkCommand.ts';
import { isScenarioFile } from './specFile.ts';
import { cellOf, combinations, parseVary, runProperty } from './sweep.ts';

export interface CompareArgs {
  spec: string;
  vary: readonly string[];
  variant: string | undefined;
  format: 'text' | 'markdown' | 'json';
}

export function compareCommand(args: CompareArgs, io: Io): number {
  if (!isScenarioFile(args.spec)) throw new KlpError('KLP301', 'compare takes a livepatch scenario file (.yaml)');
  const { families, values } = parseVary(args.vary);
  const scenario = loadScenario(args.spec);
  const rows: SweepRow[] = [];
  for (const rules of combinations(families, values)) {
    const cells: { [property: string]: ReturnType<typeof cellOf> } = {};
    for (const p of scenario.check) cells[p] = cellOf(runProperty(scenario, args.variant, rules, p));
    rows.push({ rules, cells });
  }
  const sweep: Sweep = { spec: args.spec, title: scenario.title, families, values, properties: scenario.check, rows };
  io.out(args.format === 'json' ? renderSweepJson(sweep) : args.format === 'markdown' ? renderSweepMarkdown(sweep) : renderSweepText(sweep));
  return 0;
}
