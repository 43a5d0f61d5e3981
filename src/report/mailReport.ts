// The mailing-list report (`--format mail`, `klpcheck report`): plain text
// that survives email and quoting. At most 72 columns, ASCII only, colour only
// when asked for (a terminal without NO_COLOR). A summary (spec, rules,
// property, verdict, figures, the command that reproduces it), then the trace
// as one row per step in kernel terms with only what changed, the breaking
// step marked and explained; or, with no violation, what was checked and
// which actions never fired.
import type { CheckResult } from '../engine/result.ts';
import { thousands } from './format.ts';
import type { Narrator } from './narrator.ts';

export const MAIL_WIDTH = 72;

export interface MailInput {
  specFile: string;
  title: string;
  variant?: string;
  /** Every rule family and its variant, for scenarios. */
  rules?: { readonly [family: string]: string };
  /** Selected variants that a plug-in adds: family -> plug-in file (a proposal, not kernel code). */
  plugins?: { readonly [family: string]: string };
  /** Name, alias and description of every property checked. */
  properties: readonly { name: string; alias?: string; description: string }[];
  /** The exact command that reproduces this report. */
  reproduce: string;
  result: CheckResult;
  narrator: Narrator;
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
  const chunks = command.split(/ (?=--)/);
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

export function renderMail(input: MailInput): string {
  const r = input.result;
  const v = r.violation;
  const out: string[] = [];
  out.push(...field('Spec', `${input.specFile}${input.variant ? `, variant ${input.variant}` : ''}`));
  out.push(...wrap(input.title, ' '.repeat(11), ' '.repeat(11)));
  if (input.rules !== undefined) out.push(...field('Rules', Object.entries(input.rules).map(([k, x]) => `${k}=${x}`).join(' ')));
  if (input.plugins !== undefined) out.push(...field('Plug-ins', Object.entries(input.plugins).map(([k, f]) => `${k}=${input.rules?.[k] ?? '?'} from ${f}`).join(', ')));
  const figures = `${thousands(r.stats.distinct)} distinct states, ${thousands(r.stats.generated)} generated, depth ${r.stats.depth}`;
  if (v !== undefined && v.kind === 'invariant') {
    const prop = input.properties.find((p) => p.name === v.invariant!.name) ?? { name: v.invariant!.name, description: v.invariant!.description };
    out.push(...field('Property', propertyText(prop)));
    out.push(...field('Verdict', `VIOLATED at step ${v.trace.steps.length} (shortest trace, ${v.trace.steps.length} states)`));
    out.push(...field('Explored', `${figures} (the search stops at the first violation)`));
  } else if (v !== undefined) {
    out.push(...field('Verdict', `DEADLOCK at step ${v.trace.steps.length}: no action is enabled`));
    out.push(...field('Explored', figures));
  } else {
    out.push(...field('Verdict', r.verdict === 'ok' ? 'no violation' : `INCOMPLETE: a bound (${r.bound!.kind}) stopped the search`));
    out.push(...field('Explored', `${figures}${r.verdict === 'ok' ? ', every reachable state' : ''}`));
  }
  out.push(...commandLines(input.reproduce));
  if (v === undefined) {
    out.push('', 'Checked:');
    for (const p of input.properties) out.push(...wrap(propertyText(p), '  - ', '    '));
    const never = r.coverage.filter((c) => c.generated === 0).map((c) => c.action);
    out.push('');
    out.push(...wrap(never.length === 0 ? 'Every action fired at least once.' : `Actions that never fired: ${never.join(', ')}. If one of them is what the scenario is about, the scenario is wrong.`, '', ''));
    return `${ascii(out.join('\n'))}\n`;
  }
  out.push('', 'Trace (each step shows only what changed):', '');
  const steps = v.trace.steps;
  const last = steps.length - 1;
  steps.forEach((step, i) => {
    const marker = i === last ? '=>' : '  ';
    const narration = i === 0 || step.action === undefined ? { title: 'initial state', lines: input.narrator.initial(step.state) } : input.narrator.step(steps[i - 1]!.state, step.state, step.action);
    const titleLines = wrap(narration.title, `${marker}${String(step.index).padStart(3)}  `, '       ');
    out.push(...(input.colour && i === last ? titleLines.map((l) => `\x1b[1;31m${l}\x1b[0m`) : titleLines));
    const whoWidth = Math.min(14, Math.max(0, ...narration.lines.map((l) => l.who.length)));
    let previousWho = '';
    for (const line of narration.lines) {
      const who = line.who === previousWho ? '' : line.who;
      previousWho = line.who;
      out.push(...wrap(line.what, `         ${who.padEnd(whoWidth)}  `, ' '.repeat(11 + whoWidth)));
    }
  });
  out.push('');
  const why = v.kind === 'invariant' ? `Step ${steps.length} breaks ${v.invariant!.name}: ${v.invariant!.detail ?? v.invariant!.description}.` : `Step ${steps.length} has no successor: deadlock.`;
  out.push(...wrap(why, '', ''));
  return `${ascii(out.join('\n'), input.colour === true)}\n`;
}
