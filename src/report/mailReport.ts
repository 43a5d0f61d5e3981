// The mailing-list report (`--format mail`, `klpcheck report`): plain text
// that survives email and quoting, and that a reader can act on without the
// repository at hand. At most 72 columns, ASCII only, colour only when asked
// for (a terminal without NO_COLOR). A summary (spec, the rules that differ
// from today's kernel, property, verdict, vacuity warnings, figures, the
// klpcheck version, the command that reproduces it), the scenario inline,
// then the trace as one row per step in kernel terms with only what changed,
// the breaking step marked and explained; or, with no violation, what was
// checked and which actions never fired.
import type { CheckResult } from '../engine/result.ts';
import { thousands } from './format.ts';
import type { Narrator } from './narrator.ts';
import { vacuousText, warningLine } from './warningText.ts';

export const MAIL_WIDTH = 72;

export interface MailInput {
  specFile: string;
  title: string;
  variant?: string;
  /** For scenarios: only the rule families whose variant differs from today's kernel. */
  rules?: { readonly [family: string]: string };
  /** The klpcheck version that produced the report. */
  version: string;
  /** For scenarios: the scenario file inline (the whole of it, or the parts that matter). */
  scenario?: { text: string; whole: boolean };
  /** Selected variants that a plug-in adds: family -> plug-in file (a proposal, not kernel code). */
  plugins?: { readonly [family: string]: string };
  /** For scenarios with temporal properties: the fairness assumptions in kernel terms (`assume:`). */
  assume?: readonly string[];
  /** Name, alias and description of every property checked. */
  properties: readonly { name: string; alias?: string; description: string }[];
  /** The exact command that reproduces this report. */
  reproduce: string;
  result: CheckResult;
  narrator: Narrator;
  /** Set when the trace comes from random simulation (`klpcheck simulate`), not the exhaustive search. */
  simulation?: { readonly seed: number; readonly runs: number };
  /** ANSI colour for the breaking step (a terminal without NO_COLOR). */
  colour?: boolean;
}

/** Replaces anything outside printable ASCII, so the report survives any mail path. */
export function ascii(text: string, keepColour = false): string {
  return text.replace(keepColour ? /[^\x20-\x7e\n\x1b]/g : /[^\x20-\x7e\n]/g, '?');
}

/** Wraps `text` to `width`, the first line after `first`, the others after `rest`. */
export function wrap(text: string, first: string, rest: string, width = MAIL_WIDTH): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    line += (empty ? '' : ' ') + word;
    empty = false;
  }
  lines.push(line);
  return lines.map((l) => l.trimEnd());
}

/** A command split before its options, with shell continuations, so it still pastes into a shell. */
function commandLines(command: string): string[] {
  // Break before each option, and after "npx klpcheck check" should the file name be long.
  const chunks = command.split(/ (?=--)|(?<=^\S+ \S+ \S+) /);
  const lines: string[] = [];
  let line = 'Reproduce: ';
  for (const chunk of chunks) {
    if (line.trim() !== 'Reproduce:' && line.length + 1 + chunk.length + 2 > MAIL_WIDTH) {
      lines.push(`${line} \\`);
      line = '             ';
    } else if (line.trim() !== 'Reproduce:') line += ' ';
    line += chunk;
  }
  lines.push(line);
  return lines;
}

function field(label: string, text: string): string[] {
  const pad = ' '.repeat(11);
  return wrap(text, `${label}:`.padEnd(11), pad);
}

function propertyText(p: MailInput['properties'][number]): string {
  return `${p.name}${p.alias ? ` (${p.alias})` : ''}: ${p.description}`;
}

/** "fork=goal, child-stack=synthetic-initial (others as in today's kernel)". */
export function rulesText(rules: { readonly [family: string]: string }): string {
  const changed = Object.entries(rules).map(([k, x]) => `${k}=${x}`);
  return changed.length === 0 ? "as in today's kernel" : `${changed.join(', ')} (others as in today's kernel)`;
}

function summary(input: MailInput): string[] {
  const r = input.result;
  const v = r.violation;
  const out: string[] = [];
  out.push(...field('Spec', `${input.specFile}${input.variant ? `, variant ${input.variant}` : ''}`));
  out.push(...wrap(input.title, ' '.repeat(11), ' '.repeat(11)));
  if (input.rules !== undefined) out.push(...field('Rules', rulesText(input.rules)));
  if (input.plugins !== undefined) out.push(...field('Plug-ins', Object.entries(input.plugins).map(([k, f]) => `${k}=${input.rules?.[k] ?? '?'} from ${f}`).join(', ')));
  const figures = `${thousands(r.stats.distinct)} distinct states, ${thousands(r.stats.generated)} generated, depth ${r.stats.depth}`;
  const vacuous = r.warnings.length === 0 ? '' : `, but ${vacuousText(r.warnings.length)}`;
  if (v !== undefined && v.kind === 'invariant') {
    const prop = input.properties.find((p) => p.name === v.invariant!.name) ?? { name: v.invariant!.name, description: v.invariant!.description };
    out.push(...field('Property', propertyText(prop)));
    const shortest = input.simulation !== undefined ? 'a random run, not necessarily the shortest' : r.partialOrder === true ? 'shortest under --por' : 'shortest trace';
    out.push(...field('Verdict', `VIOLATED at step ${v.trace.steps.length} (${shortest}, ${v.trace.steps.length} states)`));
  } else if (v !== undefined && v.kind === 'liveness') {
    const t = v.temporal!;
    const prop = input.properties.find((p) => p.name === t.name) ?? { name: t.name, description: t.description };
    out.push(...field('Property', propertyText(prop)));
    const fairness = t.fairness.length === 0 ? 'no fairness: any task may stop forever' : t.fairness.join(', ');
    const assumed = input.assume === undefined ? fairness : input.assume.length === 0 ? 'nothing: any task or worker may stop forever' : `${input.assume.join(', ')} (${t.fairness.length} fairness conditions)`;
    out.push(...field('Assuming', assumed));
    out.push(...field('Verdict', `NEVER HOLDS on a fair run: ${v.trace.steps.length} steps, then loops forever from step ${v.trace.loop! + 1}`));
  } else if (v !== undefined) {
    out.push(...field('Verdict', `DEADLOCK at step ${v.trace.steps.length}: no action is enabled`));
  } else {
    const l = r.liveness;
    if (l !== undefined && r.verdict === 'ok') {
      const assumed = input.assume === undefined ? l.fairness.join(', ') : input.assume.length === 0 ? 'nothing: any task or worker may stop forever' : `${input.assume.join(', ')} (${l.fairness.length} fairness conditions)`;
      out.push(...field('Assuming', assumed));
    }
    out.push(...field('Verdict', r.verdict === 'ok' ? `no violation${vacuous}` : `INCOMPLETE: a bound (${r.bound!.kind}) stopped the search${vacuous}`));
  }
  for (const w of r.warnings) out.push(...wrap(warningLine(w), ' '.repeat(11), ' '.repeat(13)));
  const explored =
    input.simulation !== undefined
      ? `random simulation (seed ${input.simulation.seed}, ${thousands(input.simulation.runs)} runs at most); \`klpcheck check\` finds the shortest trace`
      : v?.kind === 'invariant'
      ? `${figures} (the search stops at the first violation)`
      : v?.kind === 'liveness'
        ? `${figures}, every reachable state and fair cycle`
        : `${figures}${r.verdict === 'ok' ? (r.partialOrder === true ? ', every reachable state up to partial-order reduction' : r.symmetry === true ? ', every reachable state up to symmetry (interchangeable tasks)' : ', every reachable state') : ''}`;
  out.push(...field('Explored', explored));
  out.push(...field('Checker', `klpcheck ${input.version}`));
  out.push(...commandLines(input.reproduce));
  if (input.scenario !== undefined) {
    const head = input.scenario.whole ? `Scenario (${input.specFile}):` : `Scenario (the parts of ${input.specFile} that matter, as a file that gives the same run):`;
    out.push('', ...wrap(head, '', ''), '');
    for (const line of input.scenario.text.split('\n')) out.push(line === '' ? '' : `    ${line}`);
  }
  return out;
}

export function renderMail(input: MailInput): string {
  const r = input.result;
  const v = r.violation;
  const out = summary(input);
  if (v === undefined) {
    out.push('', input.properties.length === 0 ? 'Checked: no property at all.' : 'Checked:');
    for (const p of input.properties) out.push(...wrap(propertyText(p), '  - ', '    '));
    const never = r.coverage.filter((c) => c.generated === 0).map((c) => c.action);
    out.push('');
    out.push(...wrap(never.length === 0 ? 'Every action fired at least once.' : `Actions that never fired: ${never.join(', ')}. If one of them is what the scenario is about, the scenario is wrong.`, '', ''));
    return `${ascii(out.join('\n'))}\n`;
  }
  out.push('', ...narratedTrace(v, input.narrator, input.colour === true));
  return `${ascii(out.join('\n'), input.colour === true)}\n`;
}

/**
 * A violation's trace told by the narrator: one row per step, only what
 * changed, the last step marked (=>, bold red with colour), then the sentence
 * saying why it breaks. Shared by the mail report and `check`'s default output.
 */
export function narratedTrace(v: NonNullable<CheckResult['violation']>, narrator: Narrator, colour = false): string[] {
  const out: string[] = ['Trace (each step shows only what changed):', ''];
  const steps = v.trace.steps;
  steps.forEach((_, i) => out.push(...narratedStep(v.trace, i, narrator, colour)));
  out.push('', ...whyText(v));
  return out;
}

/** The sentence under a trace: which step breaks what, and how; for a lasso, how it loops forever. */
export function whyText(v: NonNullable<CheckResult['violation']>): string[] {
  const n = v.trace.steps.length;
  if (v.kind === 'liveness') {
    const back = v.trace.loop! + 1;
    const how = v.trace.loopAction === undefined ? `then nothing more happens: step ${back} repeats forever` : `then ${v.trace.loopAction.label} leads back to step ${back}, and this loops forever from step ${back}`;
    return wrap(`${how}. This run is fair and violates ${v.temporal!.name} (${v.temporal!.formula}).`, '', '');
  }
  const why = v.kind === 'invariant' ? `Step ${n} breaks ${v.invariant!.name}: ${v.invariant!.detail ?? v.invariant!.description}.` : `Step ${n} has no successor: deadlock.`;
  return wrap(why, '', '');
}

/** One step of a trace as told by the narrator; the last step is marked "=>". */
export function narratedStep(trace: NonNullable<CheckResult['violation']>['trace'], i: number, narrator: Narrator, colour = false): string[] {
  const out: string[] = [];
  const steps = trace.steps;
  const step = steps[i]!;
  const last = i === steps.length - 1;
  const marker = last ? '=>' : '  ';
  const narration = i === 0 || step.action === undefined ? { title: 'initial state', lines: narrator.initial(step.state) } : narrator.step(steps[i - 1]!.state, step.state, step.action);
  const titleLines = wrap(narration.title, `${marker}${String(step.index).padStart(3)}  `, '       ');
  out.push(...(colour && last ? titleLines.map((l) => `\x1b[1;31m${l}\x1b[0m`) : titleLines));
  const whoWidth = Math.min(14, Math.max(0, ...narration.lines.map((l) => l.who.length)));
  let previousWho = '';
  for (const line of narration.lines) {
    const who = line.who === previousWho ? '' : line.who;
    previousWho = line.who;
    out.push(...wrap(line.what, `         ${who.padEnd(whoWidth)}  `, ' '.repeat(11 + whoWidth)));
  }
  return out;
}
