// The run summary as JSON (`--format json`), for scripts: verdict, exit code,
// figures, per-action coverage, warnings (vacuous checks; `--strict` makes
// them exit 15), and the trace (as ITF) when there is one.
import { exitCodeOfRun, type CheckResult } from '../engine/result.ts';
import { toItf, type ItfTrace } from './itf.ts';

export interface RunSummary {
  spec: string;
  model: string;
  constants: { readonly [name: string]: unknown };
  invariants: readonly string[];
  checkDeadlock: boolean;
  /** Present (true) when the safety search used partial-order reduction (--por). */
  partialOrder?: true;
  symmetry?: true;
  verdict: CheckResult['verdict'];
  exitCode: number;
  violation?: {
    kind: string;
    invariant?: string;
    description?: string;
    /** For a liveness violation: the temporal property, its formula, the fairness assumed. */
    property?: string;
    formula?: string;
    fairness?: readonly string[];
    traceLength: number;
    /** For a lasso: the 0-based index of the state the last state steps back to. */
    loop?: number;
    trace: ItfTrace;
  };
  /** The liveness pass, when temporal properties were checked. */
  liveness?: CheckResult['liveness'];
  bound?: { kind: string; limit: number; signal?: string };
  stats: CheckResult['stats'];
  coverage: CheckResult['coverage'];
  warnings: CheckResult['warnings'];
}

/** `strict`: the exit code is --strict's (15 for a vacuous run without violation). */
export function toSummary(specFile: string, result: CheckResult, strict = false): RunSummary {
  const v = result.violation;
  const summary: RunSummary = {
    spec: specFile,
    model: result.model,
    constants: result.constants,
    invariants: result.invariants,
    checkDeadlock: result.checkDeadlock,
    ...(result.partialOrder === true ? { partialOrder: true as const } : {}),
    ...(result.symmetry === true ? { symmetry: true as const } : {}),
    verdict: result.verdict,
    exitCode: exitCodeOfRun(result, strict),
    stats: result.stats,
    coverage: result.coverage,
    warnings: result.warnings,
  };
  if (v !== undefined) {
    summary.violation = {
      kind: v.kind,
      ...(v.invariant ? { invariant: v.invariant.name, description: v.invariant.description } : {}),
      ...(v.temporal ? { property: v.temporal.name, description: v.temporal.description, formula: v.temporal.formula, fairness: v.temporal.fairness } : {}),
      traceLength: v.trace.steps.length,
      ...(v.trace.loop !== undefined ? { loop: v.trace.loop } : {}),
      trace: toItf(v.trace, { source: specFile, status: 'violation', description: violationLine(result) }),
    };
  }
  if (result.bound !== undefined) summary.bound = result.bound;
  if (result.liveness !== undefined) summary.liveness = result.liveness;
  return summary;
}

export function violationLine(result: CheckResult): string {
  const v = result.violation;
  if (v === undefined) return 'no violation';
  if (v.kind === 'liveness') return `temporal property ${v.temporal!.name} violated`;
  return v.kind === 'deadlock' ? 'deadlock reached' : `invariant ${v.invariant!.name} violated`;
}

export function renderSummaryJson(summary: RunSummary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}
