// `check`'s default output for a livepatch scenario (ADR 0011): the run told
// in kernel terms rather than dumped as TLA+ values. A short header (file,
// title, the rules that differ from today's kernel, properties), then for a
// violation the property and the narrated trace (only what changed per
// step), else TLC's own closing sentences; TLC's figures end it either way.
// Every line is meant to stay within ~100 columns; `--format tlc` gives the
// TLC dump.
import type { CheckResult } from '../engine/result.ts';
import { narratedTrace, rulesText, wrap } from './mailReport.ts';
import type { Narrator } from './narrator.ts';
import { renderTlcResult, tlcFigureLines } from './tlcText.ts';
import { warningLine } from './warningText.ts';

export const NARRATED_WIDTH = 100;

export interface NarratedInput {
  specFile: string;
  title: string;
  version: string;
  variant?: string;
  /** Rules in force that differ from today's kernel. */
  rules: { readonly [family: string]: string };
  result: CheckResult;
  /** Temporal properties the scenario checks (src/livepatch/liveness.ts), by name. */
  temporal?: readonly string[];
  /** The scenario's fairness assumptions in kernel terms (`assume:`). */
  assume?: readonly string[];
  narrator: Narrator;
  timing?: boolean;
  colour?: boolean;
}

export function renderNarratedHeader(input: Omit<NarratedInput, 'narrator' | 'timing' | 'colour'>): string {
  const r = input.result;
  const w = (text: string, first = '', rest = '  '): string[] => wrap(text, first, rest, NARRATED_WIDTH);
  const lines = [
    ...w(`klpcheck ${input.version}: checking ${input.specFile}${input.variant ? `, variant ${input.variant}` : ''}`),
    ...w(input.title, '  ', '  '),
    ...w(rulesText(input.rules), 'Rules: ', '  '),
    ...w(r.invariants.length === 0 ? 'none' : r.invariants.join(', '), 'Properties: ', '  '),
    ...temporalHeader(input),
    `Deadlock: ${r.checkDeadlock ? 'checked' : 'not checked'}`,
    ...(r.partialOrder === true ? ['Partial-order reduction: on (safety; counts are of the reduced graph)'] : []),
    ...(r.symmetry === true ? ['Symmetry reduction: on (counts are of classes of interchangeable tasks)'] : []),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

/** Temporal properties and what they assume, in kernel terms; nothing when the scenario has none. */
function temporalHeader(input: Omit<NarratedInput, 'narrator' | 'timing' | 'colour'>): string[] {
  const names = input.temporal ?? [];
  if (names.length === 0) return [];
  const w = (text: string, first: string): string[] => wrap(text, first, '  ', NARRATED_WIDTH);
  const assume = input.assume ?? [];
  const r = input.result;
  const notRun = r.liveness === undefined && r.verdict === 'ok' ? ' (not checked: the liveness pass did not run)' : '';
  return [
    ...w(`${names.join(', ')}${notRun}`, 'Temporal: '),
    ...w(assume.length === 0 ? 'nothing (any task or worker may stop for ever)' : assume.join(', '), 'Assumed: '),
  ];
}

/** What the liveness pass established, or why it did not run, wrapped to the narrated width. */
function livenessSummary(input: NarratedInput): string[] {
  const r = input.result;
  const names = input.temporal ?? [];
  if (names.length === 0) return [];
  const w = (text: string): string[] => wrap(text, '', '  ', NARRATED_WIDTH);
  const l = r.liveness;
  if (l === undefined || r.verdict === 'incomplete') {
    return w(`${names.join(', ')}: not checked (${r.verdict === 'incomplete' ? 'the search stopped at a bound' : 'the liveness pass did not run'}).`);
  }
  const assume = input.assume ?? [];
  const under = assume.length === 0 ? 'with no fairness assumed' : `assuming ${assume.join(', ')}`;
  return w(
    `${l.properties.join(', ')} ${l.properties.length === 1 ? 'holds' : 'hold'} ${under} ` +
      `(${l.fairness.length} fairness conditions; ${l.states} states, ${l.edges} edges, every fair cycle searched).`,
  );
}

export function renderNarratedResult(input: NarratedInput): string {
  const r = input.result;
  const v = r.violation;
  if (v === undefined) {
    const tlc = renderTlcResult({ ...r, liveness: undefined }, { timing: input.timing === true }).split('\n');
    const live = livenessSummary(input);
    // The liveness sentence goes after TLC's verdict block, before its figures.
    const at = tlc.findIndex((line) => /states generated, /.test(line));
    if (at >= 0) tlc.splice(at, 0, ...live);
    const timing = input.timing === true && r.liveness !== undefined
      ? [`Liveness pass: ${(r.liveness.elapsedMs / 1000).toFixed(2)}s of the total, behaviour graph and SCC search ${(r.liveness.graphBytes / 2 ** 20).toFixed(1)} MiB.`]
      : [];
    if (timing.length > 0) tlc.splice(tlc.length - 1, 0, ...timing);
    return tlc.join('\n');
  }
  const w = (text: string, first: string, rest: string): string[] => wrap(text, first, rest, NARRATED_WIDTH);
  const out: string[] = [];
  if (v.kind === 'invariant') {
    out.push(`Error: Invariant ${v.invariant!.name} is violated.`);
    out.push(...w(v.invariant!.description, `  ${v.invariant!.name}: `, '    '));
  } else if (v.kind === 'liveness') {
    const t = v.temporal!;
    const assume = input.assume ?? [];
    out.push(`Error: Temporal property ${t.name} is violated: a fair run never gets there.`);
    out.push(...w(t.description, `  ${t.name}: `, '    '));
    out.push(...w(assume.length === 0 ? 'nothing' : assume.join(', '), '  Assumed: ', '    '));
  } else {
    out.push('Error: Deadlock reached.');
  }
  for (const x of r.warnings) out.push(...w(warningLine(x), '', '  '));
  out.push('', ...narratedTrace(v, input.narrator, input.colour === true), '');
  out.push(...tlcFigureLines(r, { timing: input.timing === true }));
  return `${out.join('\n')}\n`;
}
