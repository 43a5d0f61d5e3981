// TLC-style text: the trace as TLC prints it (`State 2: <FillBigJug>` followed
// by `/\ var = value` lines in TLA+ syntax) and the end-of-run summary with
// TLC's sentences, so a TLA+ user reads klpcheck output without learning a new
// format. klpcheck's extra figures (rates, seen-set bytes) follow TLC's lines.
// Warnings (vacuous checks) follow the verdict line, which then says so; with
// --coverage, TLC's per-action coverage block closes the output.
import type { CheckResult, Trace } from '../engine/result.ts';
import { formatValue } from '../engine/tlaText.ts';
import { duration, perSecond, probability, thousands } from './format.ts';
import { vacuousText, warningLine } from './warningText.ts';

export interface TraceTextOptions {
  /** Print only the variables that changed (TLC's -difftrace). */
  diff?: boolean;
}

export function renderTlcTrace(trace: Trace, options: TraceTextOptions = {}): string {
  const out: string[] = [];
  let previous: Map<string, string> | undefined;
  for (const step of trace.steps) {
    const label = step.action === undefined ? 'Initial predicate' : step.action.label;
    out.push(`State ${step.index}: <${label}>`);
    const state = step.state as { get(k: string): unknown };
    const now = new Map<string, string>();
    for (const name of trace.variables) {
      const text = formatValue(state.get(name));
      now.set(name, text);
      if (options.diff && previous?.get(name) === text) continue;
      out.push(`/\\ ${name} = ${text}`);
    }
    previous = now;
    out.push('');
  }
  if (trace.loop !== undefined) {
    // TLC's lasso endings: a stuttering step, or the step back into the cycle.
    const last = trace.steps.length;
    if (trace.loopAction === undefined) out.push(`State ${last + 1}: Stuttering`, '');
    else out.push(`Back to state ${trace.loop + 1}: <${trace.loopAction.label}>`, '');
  }
  return out.join('\n');
}

export interface ResultTextOptions extends TraceTextOptions {
  /** Include elapsed time and rates (off in golden tests). */
  timing?: boolean;
  /** Print TLC's per-action coverage statistics (--coverage). */
  coverage?: boolean;
}

function vacuousClause(n: number): string {
  return `${vacuousText(n)} (see warnings)`;
}

/** The verdict, the trace if any, and TLC's closing figures. */
export function renderTlcResult(result: CheckResult, options: ResultTextOptions = {}): string {
  const out: string[] = [];
  const v = result.violation;
  if (v !== undefined) {
    if (v.kind === 'invariant') {
      out.push(`Error: Invariant ${v.invariant!.name} is violated.`);
      out.push(`  ${v.invariant!.name}: ${v.invariant!.description}`);
      if (v.invariant!.detail !== undefined) out.push(`  Here: ${v.invariant!.detail}`);
    } else if (v.kind === 'liveness') {
      const t = v.temporal!;
      out.push('Error: Temporal properties were violated.');
      out.push(`  ${t.name}: ${t.description} (${t.formula})`);
      out.push(`  Fairness assumed: ${t.fairness.length === 0 ? 'none (every behaviour may stop and stutter forever)' : t.fairness.join(', ')}`);
    } else {
      out.push('Error: Deadlock reached.');
    }
    out.push(v.kind === 'liveness' ? 'Error: The following behavior constitutes a counter-example:' : 'Error: The behavior up to this point is:');
    out.push(renderTlcTrace(v.trace, options));
  } else if (result.verdict === 'incomplete') {
    const interrupted = result.bound?.kind === 'interrupted';
    out.push(`Model checking incomplete${interrupted ? ' (interrupted)' : ''}: ${boundSentence(result)}`);
    const n = result.warnings.length;
    out.push(`No error was found in the states explored, but not every reachable state was explored${n > 0 ? `, and ${vacuousClause(n)}` : ''}.`);
    for (const w of result.warnings) out.push(warningLine(w));
  } else {
    const n = result.warnings.length;
    out.push(n === 0 ? 'Model checking completed. No error has been found.' : `Model checking completed. No error has been found, but ${vacuousClause(n)}.`);
    for (const w of result.warnings) out.push(warningLine(w));
    out.push('  Estimates of the probability that klpcheck did not check all reachable states');
    out.push('  because two distinct states had the same fingerprint:');
    out.push(`  calculated (optimistic):  val = ${probability(result.stats.collisionOptimistic)}`);
    out.push(`  based on the actual fingerprints:  val = ${probability(result.stats.collisionActual)}`);
  }
  if (result.liveness !== undefined && v === undefined) out.push(...livenessLines(result));
  out.push(...tlcFigureLines(result, options));
  return `${out.join('\n')}\n`;
}

/** A large run's packed frontier at its largest (small runs keep it live and print nothing). */
function frontierLine(s: CheckResult['stats']): string[] {
  const f = s.frontier;
  if (f === undefined || f.packedStates === 0) return [];
  const mib = f.spilledBytes / 2 ** 20;
  const disk = f.spilledBytes > 0 ? `, ${mib.toFixed(mib < 10 ? 1 : 0)} MiB through disk` : '';
  return [`Frontier: peak ${thousands(f.peakStates)} states, packed ${(f.peakPackedBytes / 2 ** 20).toFixed(1)} MiB (${(f.packedBytes / f.packedStates).toFixed(0)} bytes/state${disk}).`];
}

/** TLC's closing figures: states generated, distinct, left on queue, depth (and time, with timing). */
export function tlcFigureLines(result: CheckResult, options: ResultTextOptions = {}): string[] {
  const out: string[] = [];
  const s = result.stats;
  out.push(`${thousands(s.generated)} states generated, ${thousands(s.distinct)} distinct states found, ${thousands(s.queueLeft)} states left on queue.`);
  out.push(`The depth of the ${result.verdict === 'ok' || result.verdict === 'liveness' ? 'complete ' : ''}state graph search is ${s.depth}.`);
  if (options.timing) {
    out.push(
      `Finished in ${duration(s.elapsedMs)} (${perSecond(s.distinct, s.elapsedMs)} distinct states/s, ` +
        `${perSecond(s.generated, s.elapsedMs)} states generated/s, seen-set ${(s.seenSetBytes / 2 ** 20).toFixed(1)} MiB).`,
    );
    out.push(...frontierLine(s));
    const l = result.liveness;
    if (l !== undefined) {
      out.push(`Liveness pass: ${duration(l.elapsedMs)} of the total, behaviour graph and SCC search ${(l.graphBytes / 2 ** 20).toFixed(1)} MiB.`);
    }
  }
  if (options.coverage) out.push(...coverageLines(result, options.timing === true));
  return out;
}

/**
 * TLC's -coverage block: one line per action, `<Action>: distinct:generated`
 * (states it found first : successors it computed). TLC stamps the header with
 * the time; without timing (golden output) the stamp is left out.
 */
export function coverageLines(result: CheckResult, stamped: boolean): string[] {
  const stamp = new Date().toISOString().slice(0, 19).replace('T', ' ');
  return [
    stamped ? `The coverage statistics at ${stamp}` : 'The coverage statistics:',
    ...result.coverage.map((c) => `<${c.action}>: ${c.distinct}:${c.generated}`),
    'End of statistics.',
  ];
}

/** What the liveness pass checked, for a run it found nothing in. */
function livenessLines(result: CheckResult): string[] {
  const l = result.liveness!;
  const fairness = l.fairness.length === 0 ? 'no fairness' : l.fairness.join(', ');
  if (result.verdict === 'incomplete') return [`Temporal properties ${l.properties.join(', ')} were not checked: the liveness pass stopped at a bound.`];
  return [`Temporal properties ${l.properties.join(', ')} hold under ${fairness} (${thousands(l.states)} states, ${thousands(l.edges)} edges, every fair cycle searched).`];
}

function boundSentence(result: CheckResult): string {
  const b = result.bound!;
  switch (b.kind) {
    case 'max-states':
      return `the limit of ${thousands(b.limit)} distinct states (--max-states) was reached.`;
    case 'max-depth':
      return `the depth limit of ${b.limit} (--max-depth) was reached.`;
    case 'timeout':
      // Nothing generated: the deadline passed while the model and its initial states were built.
      return `the time limit of ${duration(b.limit)} (--timeout) was reached${result.stats.generated === 0 ? ' while building the model' : ''}.`;
    case 'interrupted':
      return `${b.signal ?? 'a signal'} stopped the search; the figures are those so far.`;
  }
}
