// Whether a run gives what a scenario's author expected (`expect:` in the
// spec file): the verdict, and for a violation the property and the length
// of the shortest trace. `npm start` and the tests read it. A run that found
// no violation but carries warnings (a vacuous check) does not meet "safe".
import { temporalPropertyNamed } from './liveness.ts';
import type { CheckResult } from '../engine/result.ts';
import { propertyNamed } from './properties.ts';
import type { Expectation } from './scenario.ts';

export function verdictText(r: CheckResult): string {
  const n = r.warnings.length;
  const vacuous = n === 0 ? '' : ` (vacuous: ${n} warning${n === 1 ? '' : 's'})`;
  if (r.verdict === 'ok' && r.liveness === undefined) return `safe${vacuous}`;
  if (r.verdict === 'invariant') return `violated: ${r.violation!.invariant!.name} (trace ${r.violation!.trace.steps.length})`;
  if (r.verdict === 'deadlock') return `deadlock (trace ${r.violation!.trace.steps.length})`;
  if (r.verdict === 'liveness') return `never holds: ${r.violation!.temporal!.name} (lasso ${r.violation!.trace.steps.length}, loop at ${r.violation!.trace.loop! + 1})`;
  if (r.verdict === 'ok' && r.liveness !== undefined) return `safe, ${r.liveness.properties.join(', ')} ${r.liveness.properties.length === 1 ? 'holds' : 'hold'}${vacuous}`;
  return `incomplete (${r.bound?.kind ?? 'bound'})${vacuous}`;
}

/** Undefined when the result meets the expectation, else what differs. */
export function unmet(r: CheckResult, e: Expectation): string | undefined {
  if (e.verdict === 'safe') return r.verdict === 'ok' && r.warnings.length === 0 ? undefined : `expected safe, got ${verdictText(r)}`;
  if (r.verdict !== 'invariant' && r.verdict !== 'liveness') return `expected a violation, got ${verdictText(r)}`;
  const got = r.violation!.invariant?.name ?? r.violation!.temporal!.name;
  if (e.property !== undefined && (propertyNamed(e.property) ?? temporalPropertyNamed(e.property))?.name !== got) return `expected ${e.property} violated, got ${got}`;
  const len = r.violation!.trace.steps.length;
  if (e.traceLength !== undefined && e.traceLength !== len) return `expected a trace of ${e.traceLength} states, got ${len}`;
  return undefined;
}
