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
    `Deadlock: ${r.checkDeadlock ? 'checked' : 'not checked'}`,
    '',
  ];
  return `${lines.join('\n')}\n`;
}

export function renderNarratedResult(input: NarratedInput): string {
  const r = input.result;
  const v = r.violation;
  if (v === undefined) return renderTlcResult(r, { timing: input.timing === true });
  const w = (text: string, first: string, rest: string): string[] => wrap(text, first, rest, NARRATED_WIDTH);
  const out: string[] = [];
  if (v.kind === 'invariant') {
    out.push(`Error: Invariant ${v.invariant!.name} is violated.`);
    out.push(...w(v.invariant!.description, `  ${v.invariant!.name}: `, '    '));
  } else {
    out.push('Error: Deadlock reached.');
  }
  for (const x of r.warnings) out.push(...w(warningLine(x), '', '  '));
  out.push('', ...narratedTrace(v, input.narrator, input.colour === true), '');
  out.push(...tlcFigureLines(r, { timing: input.timing === true }));
  return `${out.join('\n')}\n`;
}
