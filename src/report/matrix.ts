// The result of a rule sweep (`klpcheck compare`): one cell per combination
// of rule variants and per property, with the verdict and the length of the
// shortest counterexample; a temporal property's cell reads "completes" or
// "STALLS (n)" (the lasso's length). With two swept families each property is a
// matrix (rows x columns, like the S1 table of docs/scenarios.md#s1);
// otherwise one row per combination. Text/mail, Markdown or JSON.
import { renderTable } from './table.ts';

export interface Cell {
  readonly verdict: 'safe' | 'violated' | 'incomplete';
  readonly traceLength?: number;
  /** A temporal property (L1, L3): 'safe' reads "completes", 'violated' "STALLS" (a fair run that never completes). */
  readonly temporal?: boolean;
  /** No violation, but the run was vacuous for this property (KLP50x): it had nothing to check. */
  readonly vacuous?: boolean;
}

export interface SweepRow {
  /** The swept families' variants for this run, in --vary order. */
  readonly rules: { readonly [family: string]: string };
  /** Property name -> outcome. */
  readonly cells: { readonly [property: string]: Cell };
}

export interface Sweep {
  readonly spec: string;
  readonly title: string;
  readonly families: readonly string[];
  readonly values: { readonly [family: string]: readonly string[] };
  readonly properties: readonly string[];
  readonly rows: readonly SweepRow[];
  /** transition-completes was added (the scenario checks no temporal property): checked under every assumption. */
  readonly addedCompletion?: boolean;
}

export function cellText(c: Cell): string {
  if (c.verdict === 'safe') return `${c.temporal === true ? 'completes' : 'safe'}${c.vacuous === true ? ' (vacuous)' : ''}`;
  if (c.verdict === 'incomplete') return 'incomplete';
  return c.temporal === true ? `STALLS (${c.traceLength})` : `VIOLATED (${c.traceLength})`;
}

function grids(sweep: Sweep): { title: string; head: string[]; rows: string[][] }[] {
  const [a, b] = sweep.families;
  if (sweep.families.length === 2) {
    return sweep.properties.map((p) => ({
      title: `${p}: rows ${a}, columns ${b}`,
      head: [`${a} \\ ${b}`, ...sweep.values[b!]!],
      rows: sweep.values[a!]!.map((va) => [
        va,
        ...sweep.values[b!]!.map((vb) => cellText(sweep.rows.find((r) => r.rules[a!] === va && r.rules[b!] === vb)!.cells[p]!)),
      ]),
    }));
  }
  return [{ title: 'one row per combination', head: [...sweep.families, ...sweep.properties], rows: sweep.rows.map((r) => [...sweep.families.map((f) => r.rules[f]!), ...sweep.properties.map((p) => cellText(r.cells[p]!))]) }];
}

const LEGEND = 'VIOLATED (n): the shortest counterexample has n states.';
const LIVENESS_LEGEND = 'STALLS (n): a fair run never completes; its lasso has n states.';

function legend(sweep: Sweep): string[] {
  const temporal = sweep.rows.some((r) => Object.values(r.cells).some((c) => c.temporal === true));
  const added = sweep.addedCompletion === true ? ['transition-completes (L1) is not in the scenario\'s check list: checked under every assumption.'] : [];
  const vacuous = sweep.rows.some((r) => Object.values(r.cells).some((c) => c.vacuous === true))
    ? ['(vacuous): nothing violated, but nothing really checked; klpcheck check on it lists why.']
    : [];
  return [LEGEND, ...(temporal ? [LIVENESS_LEGEND] : []), ...added, ...vacuous];
}

export function renderSweepText(sweep: Sweep): string {
  const out = [`Rule sweep of ${sweep.spec}`, `  ${sweep.title}`, ''];
  for (const g of grids(sweep)) out.push(g.title, '', renderTable(g.head, g.rows));
  out.push(...legend(sweep));
  return `${out.join('\n')}\n`;
}

export function renderSweepMarkdown(sweep: Sweep): string {
  const out = [`### Rule sweep of \`${sweep.spec}\``, '', sweep.title, ''];
  for (const g of grids(sweep)) {
    out.push(`**${g.title}**`, '', `| ${g.head.join(' | ')} |`, `|${g.head.map(() => ' --- |').join('')}`);
    for (const r of g.rows) out.push(`| ${r.join(' | ')} |`);
    out.push('');
  }
  out.push(...legend(sweep).flatMap((l, i) => (i === 0 ? [l] : ['', l])));
  return `${out.join('\n')}\n`;
}

export function renderSweepJson(sweep: Sweep): string {
  return `${JSON.stringify(sweep, null, 2)}\n`;
}
