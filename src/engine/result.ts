// What a run produces: the verdict, the figures TLC prints, and for a
// violation the trace. Renderers in src/report read only these types.
import type { Constants } from './spec.ts';
import type { WarningCode } from './errors.ts';
import type { Value } from './value.ts';
import type { FrontierStats } from './frontier.ts';

/** One state of a trace, with the step that reached it. */
export interface TraceStep<S = unknown> {
  /** 1-based position, as TLC numbers states. */
  readonly index: number;
  /** The action instance that produced this state; undefined for an initial state. */
  readonly action: { readonly name: string; readonly params: readonly Value[]; readonly label: string } | undefined;
  readonly state: S;
}

export interface Trace<S = unknown> {
  readonly model: string;
  readonly constants: Constants;
  readonly variables: readonly string[];
  readonly steps: readonly TraceStep<S>[];
  /**
   * For a lasso (liveness): the 0-based index of the state the last state
   * steps back to, forever. Equal to the last index when the cycle is a
   * stuttering step (the last state repeats forever).
   */
  readonly loop?: number;
  /** For a lasso: the action of the step from the last state back to `loop`; undefined for stuttering. */
  readonly loopAction?: TraceStep['action'];
}

export type Verdict = 'ok' | 'invariant' | 'deadlock' | 'liveness' | 'incomplete';

/** Why a run stopped early; 'interrupted' is SIGINT or SIGTERM. */
export type Bound = 'max-states' | 'max-depth' | 'timeout' | 'interrupted';

/** A bound that stopped a run: its kind, its limit (0 for an interrupt) and, for an interrupt, the signal. */
export interface BoundHit {
  readonly kind: Bound;
  readonly limit: number;
  readonly signal?: string;
}

export interface Violation<S = unknown> {
  readonly kind: 'invariant' | 'deadlock' | 'liveness';
  /** For an invariant violation: its name and one-line description. */
  readonly invariant?: { readonly name: string; readonly description: string; readonly detail?: string };
  readonly trace: Trace<S>;
  /** For a liveness violation: the temporal property and the fairness it was checked under. */
  readonly temporal?: { readonly name: string; readonly description: string; readonly formula: string; readonly fairness: readonly string[] };
}

/** What the liveness pass checked and what it cost (absent when it did not run). */
export interface LivenessInfo {
  /** Temporal properties checked, by name. */
  readonly properties: readonly string[];
  /** Fairness conditions assumed, e.g. `WF(Tick)`, `SF(Grant(p1))`. */
  readonly fairness: readonly string[];
  /** States and edges of the recorded behaviour graph (edges without stuttering). */
  readonly states: number;
  readonly edges: number;
  /** Time of the liveness pass alone (graph exploration and SCC search). */
  readonly elapsedMs: number;
  /** Bytes of the typed arrays the graph and the SCC search held. */
  readonly graphBytes: number;
}

export interface ActionCoverage {
  readonly action: string;
  /** Successors this action computed. */
  readonly generated: number;
  /** New distinct states it found first. */
  readonly distinct: number;
}

export interface RunStats {
  readonly distinct: number;
  readonly generated: number;
  /** Number of BFS levels, an initial state being level 1 (TLC's depth). */
  readonly depth: number;
  readonly queueLeft: number;
  readonly elapsedMs: number;
  readonly seenSetBytes: number;
  /** What the frontier held at its largest, packed or not (absent when no BFS ran). */
  readonly frontier?: FrontierStats;
  /** TLC's "calculated (optimistic)" fingerprint-collision estimate. */
  readonly collisionOptimistic: number;
  /** TLC's estimate "based on the actual fingerprints" (1 / smallest gap). */
  readonly collisionActual: number;
}

/**
 * Something a run did not really check (a vacuous verdict): no property, a
 * cover goal never reached, a property whose premise never held. A verdict
 * that carries warnings is never a plain "no error"; `--strict` turns them
 * into exit code 15. Codes are the KLP5xx entries of WARNING_CODES.
 */
export interface CheckWarning {
  readonly code: WarningCode;
  readonly message: string;
}

export interface CheckResult<S = unknown> {
  /** The model checked and the constants it was checked with. */
  readonly model: string;
  readonly constants: Constants;
  readonly verdict: Verdict;
  readonly violation?: Violation<S>;
  /** Why the run stopped early, when verdict is 'incomplete'. */
  readonly bound?: BoundHit;
  readonly stats: RunStats;
  readonly coverage: readonly ActionCoverage[];
  /** What was not really checked; empty when every check had something to look at. */
  readonly warnings: readonly CheckWarning[];
  readonly invariants: readonly string[];
  readonly checkDeadlock: boolean;
  /** Set when the safety search used partial-order reduction (Model.ample): counts are of the reduced graph. */
  readonly partialOrder?: true;
  /** Symmetry reduction was on: counts are of symmetry classes. */
  readonly symmetry?: true;
  /** The liveness pass, when temporal properties were checked. */
  readonly liveness?: LivenessInfo;
}

/** Exit codes, as TLC's where TLC has one (EC.ExitStatus). */
export const EXIT_CODES = {
  ok: 0,
  usage: 2,
  deadlock: 11,
  invariant: 12,
  liveness: 13,
  incomplete: 14,
  /** --strict: no violation, but some check was vacuous (warnings). */
  vacuous: 15,
} as const;

export function exitCodeOf(verdict: Verdict): number {
  return EXIT_CODES[verdict === 'ok' ? 'ok' : verdict];
}

/**
 * The exit code of a run: its verdict's, except that under `--strict` a run
 * with no violation (ok or incomplete) but with warnings exits 15.
 */
export function exitCodeOfRun(result: Pick<CheckResult, 'verdict' | 'warnings'>, strict: boolean): number {
  const vacuousMatters = strict && result.warnings.length > 0 && (result.verdict === 'ok' || result.verdict === 'incomplete');
  return vacuousMatters ? EXIT_CODES.vacuous : exitCodeOf(result.verdict);
}
