// `klpcheck check SPEC`: load a spec, check it exhaustively, print the verdict
// TLC-fashion (or as JSON), write trace files under --out, and return the exit
// code of the verdict (0, 11, 12, 13, 14; 15 under --strict for a vacuous run;
// 2 for bad input, raised as KlpError). Temporal properties are checked after
// the safety search (--no-liveness skips). SIGINT/SIGTERM during the search
// stop it incomplete ('interrupted'): the figures so far are printed and
// --out written.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, extname } from 'node:path';
import { checkParallel } from '../engine/parallel/checkParallel.ts';
import { WorkerPool } from '../engine/parallel/pool.ts';
import { withLiveness } from '../engine/liveness/checkLiveness.ts';
import { KlpError } from '../engine/errors.ts';
import { checkFrontierFolder } from '../engine/frontier.ts';
import { exitCodeOfRun, type CheckResult } from '../engine/result.ts';
import type { Model } from '../engine/spec.ts';
import { formatConstant } from '../engine/constants.ts';
import type { StateLike } from '../engine/value.ts';
import { renderItf } from '../report/itf.ts';
import { renderSummaryJson, toSummary, violationLine } from '../report/summaryJson.ts';
import { renderTlcResult, renderTlcTrace } from '../report/tlcText.ts';
import { livepatchNarratorFor } from '../report/livepatchNarrator.ts';
import { renderMail, type MailInput } from '../report/mailReport.ts';
import { renderNarratedHeader, renderNarratedResult } from '../report/narratedText.ts';
import { scenarioExcerpt } from '../report/scenarioExcerpt.ts';
import { genericNarrator, type Narrator } from '../report/narrator.ts';
import { propertyNamed } from '../livepatch/properties.ts';
import { exploreGraph, keyOf } from '../engine/stateGraph.ts';
import { renderDotGraph } from '../report/dotGraph.ts';
import { renderDotTrace } from '../report/dotTrace.ts';
import { renderHtmlTrace } from '../report/htmlTrace.ts';
import { livepatchLanes, variableLanes, type LaneView } from '../report/lanes.ts';
import { thousands } from '../report/format.ts';
import { changedRules } from './scenarioRun.ts';
import type { LoadedSpec } from './specFile.ts';
import { loadRecipe, recipeSource, type ModelRecipe } from './workerModel.ts';
import { progressReporter } from './progress.ts';
import { writeOutputs } from './writeOutputs.ts';
import { VERSION } from './version.ts';

export interface CheckArgs {
  spec: string;
  rule: readonly string[];
  /** Plug-in files loaded besides the scenario's own (--plugin). */
  plugin?: readonly string[];
  variant: string | undefined;
  const: readonly string[];
  invariant: readonly string[] | undefined;
  deadlock: boolean | undefined;
  maxStates: number | undefined;
  maxDepth: number | undefined;
  timeout: number | undefined;
  /** text: narrated for a scenario, TLC's dump for a TypeScript spec (ADR 0011); tlc: TLC's dump always. */
  format: 'text' | 'tlc' | 'json' | 'mail' | 'dot' | 'html';
  /** With --format dot: draw the whole state graph (small models). */
  graph?: boolean;
  out: string | undefined;
  progress: boolean;
  diff: boolean;
  timing: boolean;
  /** Scenario files: symmetry reduction over interchangeable tasks. */
  symmetry?: boolean;
  /** Scenario files: partial-order reduction over task-local steps (safety only). */
  por?: boolean;
  /** Exit 15 when nothing is violated but some check was vacuous (warnings). */
  strict?: boolean;
  /** Print TLC's per-action coverage statistics after the verdict. */
  coverage?: boolean;
  /** Run the liveness pass when the spec has temporal properties (default true). */
  liveness?: boolean;
  /** Temporal properties to check (--property); default all. */
  property?: readonly string[] | undefined;
  /** Folder in which a spilled frontier goes (--frontier-dir). */
  frontierDir?: string | undefined;
  /** MiB of packed frontier held in memory before spilling (--frontier-memory). */
  frontierMemory?: number | undefined;
  /** Worker threads for the safety search (--workers); default 1. Same results with any number. */
  workers?: number;
}

/** Each worker is a V8 instance holding the frontier: beyond this, memory runs out long before any gain. */
const MAX_WORKERS = 64;

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
  positive('--frontier-memory', args.frontierMemory);
  if (args.frontierDir !== undefined) checkFrontierFolder(args.frontierDir);
  if (args.workers !== undefined && Number.isInteger(args.workers) && args.workers > MAX_WORKERS) {
    throw new KlpError('KLP301', `--workers takes at most ${MAX_WORKERS} worker threads; got ${args.workers}`, { hints: [`this machine has ${availableParallelism()} CPUs; more workers than CPUs only adds overhead`] });
  }
  if (args.workers !== undefined && !(Number.isInteger(args.workers) && args.workers >= 1)) {
    throw new KlpError('KLP301', `--workers takes a whole number of worker threads, 1 or more (e.g. --workers 2); got ${Number.isNaN(args.workers) ? 'no number' : args.workers}`);
  }
  // `--out ''` would write into the current folder.
  if (args.out !== undefined && args.out.trim() === '') throw new KlpError('KLP301', '--out takes a folder name', { hints: ['e.g. --out results'] });
  // --timeout counts from here: building the model is part of the run.
  const startedAt = performance.now();
  const timeoutMs = args.timeout === undefined ? undefined : args.timeout * 1000;
  const recipe: ModelRecipe = {
    spec: args.spec,
    rule: args.rule,
    plugin: args.plugin ?? [],
    variant: args.variant,
    symmetry: args.symmetry === true,
    por: args.por === true,
    const: args.const,
    invariant: args.invariant,
    deadlock: args.deadlock,
    property: args.property,
  };
  // Workers start now, so that their start (a V8 instance each, loading the
  // engine and the spec) overlaps this thread's loading of the model.
  const pool = (args.workers ?? 1) > 1 ? new WorkerPool(args.workers!) : undefined;
  const stopOnSignal = signalStopper();
  try {
    const { model, loaded } = await loadRecipe(recipe, timeoutMs !== undefined ? () => performance.now() - startedAt > timeoutMs : undefined);
    const onProgress = progressReporter(args.progress || io.isErrTty);
    const safety = await checkParallel(model, {
      workers: args.workers ?? 1,
      ...(pool !== undefined ? { pool } : {}),
      source: recipeSource(recipe),
      startedAt,
      ...(args.maxStates !== undefined ? { maxStates: args.maxStates } : {}),
      ...(args.maxDepth !== undefined ? { maxDepth: args.maxDepth } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(onProgress !== undefined ? { onProgress } : {}),
      onStart: stopOnSignal.attach,
      frontier: {
        ...(args.frontierDir !== undefined ? { dir: args.frontierDir } : {}),
        ...(args.frontierMemory !== undefined ? { memoryBytes: args.frontierMemory * 2 ** 20 } : {}),
      },
    });
    const result = withLiveness(model, safety, {
      ...(args.liveness === false ? { liveness: false } : {}),
      ...(args.maxStates !== undefined ? { maxStates: args.maxStates } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });
    return { model, result, loaded };
  } finally {
    stopOnSignal.detach();
    await pool?.close();
  }
}

interface Interruptible {
  interrupt(signal: string): void;
}

/**
 * SIGINT and SIGTERM during a search interrupt it (the search pauses every
 * 100 ms, when Node runs the handler); a second signal exits at once with
 * 128 + its number, as a shell would.
 */
function signalStopper(): { attach: (e: Interruptible) => void; detach: () => void } {
  let explorer: Interruptible | undefined;
  let received = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (received) process.exit(signal === 'SIGINT' ? 130 : 143);
    received = true;
    explorer?.interrupt(signal);
  };
  return {
    attach: (e) => {
      explorer = e;
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
    },
    detach: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

export async function checkCommand(args: CheckArgs, io: Io): Promise<number> {
  const { model, result, loaded } = await runCheck(args, io);
  // Files first: if they cannot be written, the run fails before printing a verdict.
  const strict = args.strict === true;
  const written = args.out === undefined ? [] : writeOutputs(args.out, outputFiles(args.spec, result, strict, args.variant));
  if (args.format === 'json') {
    io.out(renderSummaryJson(toSummary(args.spec, result, strict)));
  } else if (args.format === 'mail') {
    io.out(renderMail(mailInput(args, model, result, loaded, io.colour)));
  } else if (args.format === 'dot') {
    io.out(renderDot(args, model, result, loaded));
  } else if (args.format === 'html') {
    io.out(renderHtml(args, model, result, loaded));
  } else if (args.format === 'text' && loaded.scenario !== undefined) {
    const sc = loaded.scenario;
    const input = {
      specFile: args.spec,
      title: model.name,
      version: VERSION,
      rules: changedRules(sc.rules),
      result,
      temporal: model.temporal.map((t) => t.name),
      assume: sc.scenario.assume ?? [],
      ...(sc.variant ? { variant: sc.variant.name } : {}),
    };
    io.out(renderNarratedHeader(input));
    io.out(renderNarratedResult({ ...input, narrator: livepatchNarratorFor(sc.rules.model) as Narrator, timing: args.timing, colour: io.colour === true }));
    if (written.length > 0) io.out(`Wrote ${written.join(', ')}\n`);
  } else {
    io.out(renderHeader(args.spec, model, result, loaded));
    io.out(renderTlcResult(result, { diff: args.diff, timing: args.timing, coverage: args.coverage === true }));
    if (written.length > 0) io.out(`Wrote ${written.join(', ')}\n`);
  }
  return exitCodeOfRun(result, strict);
}

/** The mail report's input: properties with their aliases, the narrator, the command that reproduces the run. */
export function mailInput(args: CheckArgs, model: Model<StateLike>, result: CheckResult, loaded: LoadedSpec, colour = false): MailInput {
  const sc = loaded.scenario;
  return {
    specFile: args.spec,
    title: model.name,
    ...(sc?.variant ? { variant: sc.variant.name } : {}),
    ...(sc ? { rules: changedRules(sc.rules), scenario: excerptOf(args, sc), ...(sc.scenario.assume !== undefined ? { assume: sc.scenario.assume } : {}) } : {}),
    version: VERSION,
    ...(sc?.fromPlugins ? { plugins: sc.fromPlugins } : {}),
    properties: [...model.invariants, ...(result.liveness !== undefined ? model.temporal : [])].map((i) => {
      const alias = sc ? propertyNamed(i.name)?.alias : undefined;
      return { name: i.name, description: i.description, ...(alias ? { alias } : {}) };
    }),
    reproduce: reproduceCommand(args),
    result,
    narrator: (sc ? livepatchNarratorFor(sc.rules.model) : genericNarrator(model.variables)) as Narrator,
    colour,
  };
}

/** The scenario inline: as written, or rebuilt with the variant's admin and the rules in force. */
function excerptOf(args: CheckArgs, sc: NonNullable<LoadedSpec['scenario']>): { text: string; whole: boolean } {
  const asWritten = sc.variant === undefined && args.rule.length === 0;
  return scenarioExcerpt(readFileSync(sc.scenario.file, 'utf8'), { rules: changedRules(sc.rules), asWritten, ...(sc.variant ? { variant: sc.variant.name } : {}) });
}

/** The command line that gives this report again. */
export function reproduceCommand(args: CheckArgs): string {
  const parts = ['npx klpcheck check', args.spec];
  if (args.variant !== undefined) parts.push(`--variant ${args.variant}`);
  for (const p of args.plugin ?? []) parts.push(`--plugin ${p}`);
  for (const r of args.rule) parts.push(`--rule ${r}`);
  if (args.symmetry === true) parts.push('--symmetry');
  if (args.por === true) parts.push('--por');
  for (const c of args.const) parts.push(`--const '${c}'`);
  for (const i of args.invariant ?? []) parts.push(`--invariant ${i}`);
  for (const p of args.property ?? []) parts.push(`--property ${p}`);
  if (args.liveness === false) parts.push('--no-liveness');
  if (args.deadlock !== undefined) parts.push(args.deadlock ? '--deadlock' : '--no-deadlock');
  if (args.maxStates !== undefined) parts.push(`--max-states ${args.maxStates}`);
  if (args.maxDepth !== undefined) parts.push(`--max-depth ${args.maxDepth}`);
  if (args.timeout !== undefined) parts.push(`--timeout ${args.timeout}`);
  if (args.workers !== undefined && args.workers > 1) parts.push(`--workers ${args.workers}`);
  if (args.strict === true) parts.push('--strict');
  parts.push('--format mail');
  return parts.join(' ');
}

const GRAPH_LIMIT = 2000;

function viewsOf(model: Model<StateLike>, loaded: LoadedSpec): { lanes: LaneView; narrator: Narrator } {
  return loaded.scenario
    ? { lanes: livepatchLanes, narrator: livepatchNarratorFor(loaded.scenario.rules.model) as Narrator }
    : { lanes: variableLanes(model.variables), narrator: genericNarrator(model.variables) };
}

function breakingSentence(result: CheckResult): string | undefined {
  const v = result.violation;
  if (v === undefined) return undefined;
  if (v.kind === 'liveness') return `${v.temporal!.name} never holds: the run loops forever from step ${v.trace.loop! + 1}`;
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
/** The files --out writes; a variant's name is part of them, so two variants never overwrite each other. */
export function outputFiles(specFile: string, result: CheckResult, strict = false, variant?: string): { [name: string]: string } {
  const stem = `${basename(specFile, extname(specFile))}${variant === undefined ? '' : `.${variant.replace(/[^A-Za-z0-9_.-]/g, '-')}`}`;
  const files: { [name: string]: string } = { [`${stem}.summary.json`]: renderSummaryJson(toSummary(specFile, result, strict)) };
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
    ...(result.partialOrder === true ? ['Partial-order reduction: on (safety; counts are of the reduced graph)'] : []),
    ...(result.symmetry === true ? ['Symmetry reduction: on (counts are of classes of interchangeable tasks)'] : []),
    ...temporalHeader(model, result),
    ...(sc?.scenario.assume !== undefined && model.temporal.length > 0 ? [`Assumed (kernel terms): ${sc.scenario.assume.length === 0 ? 'nothing' : sc.scenario.assume.join(', ')}`] : []),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

function temporalHeader(model: Model<StateLike>, result: CheckResult): string[] {
  if (model.temporal.length === 0) return [];
  const names = model.temporal.map((t) => t.name).join(', ');
  if (result.liveness === undefined) return [`Temporal properties: ${names} (not checked${result.verdict === 'ok' ? ': --no-liveness' : ': the safety search ended first'})`];
  return [`Temporal properties: ${names}, fairness: ${model.fairness.length === 0 ? 'none' : model.fairness.map((f) => f.label).join(', ')}`];
}

function positive(flag: string, v: number | undefined): void {
  if (v === undefined) return;
  if (!Number.isFinite(v) || v <= 0) throw new KlpError('KLP301', `${flag} takes a positive number`);
}
