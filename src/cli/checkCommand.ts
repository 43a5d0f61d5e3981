// `klpcheck check SPEC`: load a spec, check it exhaustively, print the verdict
// TLC-fashion (or as JSON), write trace files under --out, and return the exit
// code of the verdict (0, 11, 12, 14; 2 for bad input, raised as KlpError).
import { basename, extname } from 'node:path';
import { check } from '../engine/bfs.ts';
import { KlpError } from '../engine/errors.ts';
import { exitCodeOf, type CheckResult } from '../engine/result.ts';
import { instantiate, type Model } from '../engine/spec.ts';
import { formatValue } from '../engine/tlaText.ts';
import type { StateLike } from '../engine/value.ts';
import { renderItf } from '../report/itf.ts';
import { renderSummaryJson, toSummary, violationLine } from '../report/summaryJson.ts';
import { renderTlcResult, renderTlcTrace } from '../report/tlcText.ts';
import { livepatchNarrator } from '../report/livepatchNarrator.ts';
import { renderMail, type MailInput } from '../report/mailReport.ts';
import { genericNarrator, type Narrator } from '../report/narrator.ts';
import { propertyNamed } from '../livepatch/properties.ts';
import { exploreGraph, keyOf } from '../engine/stateGraph.ts';
import { renderDotGraph } from '../report/dotGraph.ts';
import { renderDotTrace } from '../report/dotTrace.ts';
import { renderHtmlTrace } from '../report/htmlTrace.ts';
import { livepatchLanes, variableLanes, type LaneView } from '../report/lanes.ts';
import { thousands } from '../report/format.ts';
import { loadSpecFile, type LoadedSpec } from './specFile.ts';
import { parseConstants } from './parseConstants.ts';
import { progressReporter } from './progress.ts';
import { writeOutputs } from './writeOutputs.ts';
import { VERSION } from './version.ts';

export interface CheckArgs {
  spec: string;
  rule: readonly string[];
  variant: string | undefined;
  const: readonly string[];
  invariant: readonly string[] | undefined;
  deadlock: boolean | undefined;
  maxStates: number | undefined;
  maxDepth: number | undefined;
  timeout: number | undefined;
  format: 'text' | 'json' | 'mail' | 'dot' | 'html';
  /** With --format dot: draw the whole state graph (small models). */
  graph?: boolean;
  out: string | undefined;
  progress: boolean;
  diff: boolean;
  timing: boolean;
}

/** Check arguments with every option at its command-line default. */
export function defaultCheckArgs(spec: string, overrides: Partial<CheckArgs> = {}): CheckArgs {
  return { spec, rule: [], variant: undefined, const: [], invariant: undefined, deadlock: undefined, maxStates: undefined, maxDepth: undefined, timeout: undefined, format: 'text', out: undefined, progress: false, diff: false, timing: true, ...overrides };
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
  isErrTty: boolean;
  /** Colour allowed on stdout: a terminal, and NO_COLOR not set. */
  colour?: boolean;
}

export interface CheckRun {
  model: Model<StateLike>;
  result: CheckResult<StateLike>;
  loaded: LoadedSpec;
}

/** Loads, instantiates and checks; shared by `check` and `suite`. */
export async function runCheck(args: CheckArgs, io: Io): Promise<CheckRun> {
  positive('--max-states', args.maxStates);
  positive('--max-depth', args.maxDepth);
  positive('--timeout', args.timeout);
  // `--out ''` would write into the current folder.
  if (args.out !== undefined && args.out.trim() === '') throw new KlpError('KLP301', '--out takes a folder name', { hints: ['e.g. --out results'] });
  const loaded = await loadSpecFile(args.spec, { rules: args.rule, ...(args.variant !== undefined ? { variant: args.variant } : {}) });
  const model = instantiate(loaded.spec, {
    constants: parseConstants(args.const),
    ...(args.invariant !== undefined && args.invariant.length > 0 ? { invariants: args.invariant } : {}),
    ...(args.deadlock !== undefined ? { checkDeadlock: args.deadlock } : {}),
  });
  const onProgress = progressReporter(args.progress || io.isErrTty);
  const result = check(model, {
    ...(args.maxStates !== undefined ? { maxStates: args.maxStates } : {}),
    ...(args.maxDepth !== undefined ? { maxDepth: args.maxDepth } : {}),
    ...(args.timeout !== undefined ? { timeoutMs: args.timeout * 1000 } : {}),
    ...(onProgress !== undefined ? { onProgress } : {}),
  });
  return { model, result, loaded };
}

export async function checkCommand(args: CheckArgs, io: Io): Promise<number> {
  const { model, result, loaded } = await runCheck(args, io);
  // Files first: if they cannot be written, the run fails before printing a verdict.
  const written = args.out === undefined ? [] : writeOutputs(args.out, outputFiles(args.spec, result));
  if (args.format === 'json') {
    io.out(renderSummaryJson(toSummary(args.spec, result)));
  } else if (args.format === 'mail') {
    io.out(renderMail(mailInput(args, model, result, loaded, io.colour)));
  } else if (args.format === 'dot') {
    io.out(renderDot(args, model, result, loaded));
  } else if (args.format === 'html') {
    io.out(renderHtml(args, model, result, loaded));
  } else {
    io.out(renderHeader(args.spec, model, result, loaded));
    io.out(renderTlcResult(result, { diff: args.diff, timing: args.timing }));
    if (written.length > 0) io.out(`Wrote ${written.join(', ')}\n`);
  }
  return exitCodeOf(result.verdict);
}

/** The mail report's input: properties with their aliases, the narrator, the command that reproduces the run. */
export function mailInput(args: CheckArgs, model: Model<StateLike>, result: CheckResult, loaded: LoadedSpec, colour = false): MailInput {
  const sc = loaded.scenario;
  return {
    specFile: args.spec,
    title: model.name,
    ...(sc?.variant ? { variant: sc.variant.name } : {}),
    ...(sc ? { rules: sc.rules } : {}),
    properties: model.invariants.map((i) => {
      const alias = sc ? propertyNamed(i.name)?.alias : undefined;
      return { name: i.name, description: i.description, ...(alias ? { alias } : {}) };
    }),
    reproduce: reproduceCommand(args),
    result,
    narrator: (sc ? livepatchNarrator : genericNarrator(model.variables)) as Narrator,
    colour,
  };
}

/** The command line that gives this report again. */
export function reproduceCommand(args: CheckArgs): string {
  const parts = ['npx klpcheck check', args.spec];
  if (args.variant !== undefined) parts.push(`--variant ${args.variant}`);
  for (const r of args.rule) parts.push(`--rule ${r}`);
  for (const c of args.const) parts.push(`--const '${c}'`);
  for (const i of args.invariant ?? []) parts.push(`--invariant ${i}`);
  if (args.deadlock !== undefined) parts.push(args.deadlock ? '--deadlock' : '--no-deadlock');
  if (args.maxStates !== undefined) parts.push(`--max-states ${args.maxStates}`);
  if (args.maxDepth !== undefined) parts.push(`--max-depth ${args.maxDepth}`);
  if (args.timeout !== undefined) parts.push(`--timeout ${args.timeout}`);
  parts.push('--format mail');
  return parts.join(' ');
}

const GRAPH_LIMIT = 2000;

function viewsOf(model: Model<StateLike>, loaded: LoadedSpec): { lanes: LaneView; narrator: Narrator } {
  return loaded.scenario
    ? { lanes: livepatchLanes, narrator: livepatchNarrator as Narrator }
    : { lanes: variableLanes(model.variables), narrator: genericNarrator(model.variables) };
}

function breakingSentence(result: CheckResult): string | undefined {
  const v = result.violation;
  if (v === undefined) return undefined;
  return v.kind === 'deadlock' ? 'deadlock: no action is enabled' : `${v.invariant!.name} breaks: ${v.invariant!.detail ?? v.invariant!.description}`;
}

/** DOT: the violating trace as swimlanes, or (--graph, or no violation) the whole state graph of a small model. */
export function renderDot(args: CheckArgs, model: Model<StateLike>, result: CheckResult, loaded: LoadedSpec): string {
  const { lanes, narrator } = viewsOf(model, loaded);
  const v = result.violation;
  if (v !== undefined && args.graph !== true) return renderDotTrace(v.trace, lanes, narrator, breakingSentence(result));
  const graph = exploreGraph<StateLike>(model, GRAPH_LIMIT);
  if (graph === undefined) {
    throw new KlpError('KLP301', `the state graph has more than ${thousands(GRAPH_LIMIT)} states, too many to draw`, {
      hints: ['draw a violating trace instead (--format dot without --graph), or make the model smaller'],
    });
  }
  const ids = new Map(graph.states.map((s, i) => [keyOf(model, s), i]));
  const path = v === undefined ? [] : v.trace.steps.map((s) => ids.get(keyOf<StateLike>(model, s.state as StateLike))).filter((x): x is number => x !== undefined);
  return renderDotGraph(graph, narrator, path);
}

/** HTML: the trace (or the initial state when nothing breaks) as steppable swimlanes. */
export function renderHtml(args: CheckArgs, model: Model<StateLike>, result: CheckResult, loaded: LoadedSpec): string {
  const { lanes, narrator } = viewsOf(model, loaded);
  const trace = result.violation?.trace ?? { model: model.name, constants: model.constants, variables: model.variables, steps: [{ index: 1, action: undefined, state: model.initStates()[0]! }] };
  const breaking = breakingSentence(result);
  return renderHtmlTrace({ title: model.name, specFile: args.spec, trace, lanes, narrator, ...(breaking !== undefined ? { breaking } : {}) });
}

/** What --out writes: the summary always, the trace in ITF and TLC text when there is one. */
export function outputFiles(specFile: string, result: CheckResult): { [name: string]: string } {
  const stem = basename(specFile, extname(specFile));
  const files: { [name: string]: string } = { [`${stem}.summary.json`]: renderSummaryJson(toSummary(specFile, result)) };
  const v = result.violation;
  if (v !== undefined) {
    files[`${stem}.itf.json`] = renderItf(v.trace, { source: specFile, status: 'violation', description: violationLine(result) });
    files[`${stem}.trace.txt`] = renderTlcTrace(v.trace);
  }
  return files;
}

export function renderHeader(specFile: string, model: Model<StateLike>, result: CheckResult, loaded?: LoadedSpec): string {
  const constants = Object.entries(model.constants);
  const sc = loaded?.scenario;
  const lines = [
    `klpcheck ${VERSION}: checking ${model.name} (${specFile}), breadth-first, 64-bit fingerprints`,
    sc === undefined
      ? `Constants: ${constants.length === 0 ? 'none' : constants.map(([k, v]) => `${k} = ${formatConstant(v)}`).join(', ')}`
      : `Rules${sc.variant ? ` (variant ${sc.variant.name})` : ''}: ${Object.entries(sc.rules).map(([k, v]) => `${k}=${v}`).join(', ')}`,
    `Invariants: ${result.invariants.length === 0 ? 'none' : result.invariants.join(', ')}`,
    `Deadlock: ${result.checkDeadlock ? 'checked' : 'not checked'}`,
    '',
  ];
  return `${lines.join('\n')}\n`;
}

function formatConstant(v: unknown): string {
  if (Array.isArray(v)) return `{${v.map((x) => formatValue(x)).join(', ')}}`;
  return formatValue(v);
}

function positive(flag: string, v: number | undefined): void {
  if (v === undefined) return;
  if (!Number.isFinite(v) || v <= 0) throw new KlpError('KLP301', `${flag} takes a positive number`);
}
