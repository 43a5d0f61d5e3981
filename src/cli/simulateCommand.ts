// `klpcheck simulate SPEC --seed N --depth D --runs R`: random simulation for
// scenarios too large to exhaust (src/engine/simulate.ts). Prints what was
// sampled and, for a violation, the behaviour that breaks the property and the
// command that replays exactly that behaviour. Exit codes: 12 invariant
// violated, 11 deadlock, 14 no violation found (a simulation never proves
// absence, so it never says "no error"), 15 under --strict when no violation
// was found and the run warns (something was not really checked), 2 bad input.
import { KlpError } from '../engine/errors.ts';
import { EXIT_CODES, exitCodeOfRun, type CheckResult } from '../engine/result.ts';
import { simulate, type SimulationResult } from '../engine/simulate.ts';
import { instantiate, type Model } from '../engine/spec.ts';
import type { StateLike } from '../engine/value.ts';
import { duration, thousands } from '../report/format.ts';
import { toItf } from '../report/itf.ts';
import { renderMail } from '../report/mailReport.ts';
import { renderTlcTrace } from '../report/tlcText.ts';
import { warningLine } from '../report/warningText.ts';
import { mailInput, defaultCheckArgs, type Io } from './checkCommand.ts';
import { parseConstants } from './parseConstants.ts';
import { loadSpecFile } from './specFile.ts';
import { VERSION } from './version.ts';

export interface SimulateArgs {
  spec: string;
  rule: readonly string[];
  variant: string | undefined;
  const: readonly string[];
  invariant: readonly string[] | undefined;
  deadlock: boolean | undefined;
  seed: number | undefined;
  depth: number;
  runs: number;
  run: number | undefined;
  timeout: number | undefined;
  format: 'text' | 'json' | 'mail';
  /** Exit 15 when no violation was found and the run warns. */
  strict?: boolean;
}

export async function simulateCommand(args: SimulateArgs, io: Io): Promise<number> {
  wholeNumber('--depth', args.depth, 1);
  wholeNumber('--runs', args.runs, 1);
  if (args.seed !== undefined) wholeNumber('--seed', args.seed, 0, 2 ** 32 - 1);
  if (args.run !== undefined) wholeNumber('--run', args.run, 0);
  if (args.timeout !== undefined && !(Number.isFinite(args.timeout) && args.timeout > 0)) throw new KlpError('KLP301', '--timeout takes a positive number');
  const loaded = await loadSpecFile(args.spec, { rules: args.rule, ...(args.variant !== undefined ? { variant: args.variant } : {}) });
  const model = instantiate(loaded.spec, {
    constants: parseConstants(args.const),
    ...(args.invariant !== undefined && args.invariant.length > 0 ? { invariants: args.invariant } : {}),
    ...(args.deadlock !== undefined ? { checkDeadlock: args.deadlock } : {}),
  });
  const seed = args.seed ?? Math.floor(Math.random() * 2 ** 32);
  const result = simulate(model, {
    seed,
    depth: args.depth,
    runs: args.runs,
    ...(args.run !== undefined ? { only: args.run } : {}),
    ...(args.timeout !== undefined ? { timeoutMs: args.timeout * 1000 } : {}),
  });
  const v = result.violation;
  const code = v === undefined ? exitCodeOfRun({ verdict: 'incomplete', warnings: result.warnings }, args.strict === true) : v.kind === 'deadlock' ? EXIT_CODES.deadlock : EXIT_CODES.invariant;
  if (args.format === 'json') io.out(`${JSON.stringify(toJson(args, result, code), null, 2)}\n`);
  else if (args.format === 'mail' && v !== undefined) {
    const check = asCheckResult(model, result);
    io.out(renderMail({ ...mailInput(defaultCheckArgs(args.spec, { rule: args.rule, variant: args.variant, const: args.const, invariant: args.invariant }), model, check, loaded), reproduce: replayCommand(args, seed, v.run), simulation: { seed, runs: args.runs } }));
  } else io.out(renderText(args, model, result));
  return code;
}

function wholeNumber(flag: string, v: number, min: number, max?: number): void {
  if (Number.isInteger(v) && v >= min && (max === undefined || v <= max)) return;
  throw new KlpError('KLP301', `${flag} takes a whole number ${max === undefined ? `of at least ${min}` : `from ${min} to ${max}`}, got ${v}`);
}

/** The command that walks exactly the violating behaviour again. */
export function replayCommand(args: SimulateArgs, seed: number, run: number): string {
  const parts = ['npx klpcheck simulate', args.spec];
  if (args.variant !== undefined) parts.push(`--variant ${args.variant}`);
  for (const r of args.rule) parts.push(`--rule ${r}`);
  for (const c of args.const) parts.push(`--const '${c}'`);
  for (const i of args.invariant ?? []) parts.push(`--invariant ${i}`);
  if (args.deadlock !== undefined) parts.push(args.deadlock ? '--deadlock' : '--no-deadlock');
  parts.push(`--seed ${seed}`, `--depth ${args.depth}`, `--run ${run}`);
  return parts.join(' ');
}

function renderText(args: SimulateArgs, model: Model<StateLike>, r: SimulationResult<StateLike>): string {
  const out = [
    `klpcheck ${VERSION}: simulating ${model.name} (${args.spec}), seed ${r.seed}, ${r.runsRequested === 1 && args.run !== undefined ? `behaviour ${args.run}` : `${thousands(r.runsRequested)} behaviours`} of up to ${r.depth} steps`,
    `Invariants: ${r.invariants.length === 0 ? 'none' : r.invariants.join(', ')}`,
    `Deadlock: ${r.checkDeadlock ? 'checked' : 'not checked'}`,
    '',
  ];
  const v = r.violation;
  if (v !== undefined) {
    out.push(v.kind === 'invariant' ? `Error: Invariant ${v.invariant!.name} is violated in behaviour ${v.run} (seed ${r.seed}).` : `Error: Deadlock reached in behaviour ${v.run} (seed ${r.seed}).`);
    if (v.invariant !== undefined) out.push(`  ${v.invariant.name}: ${v.invariant.description}`, ...(v.invariant.detail === undefined ? [] : [`  Here: ${v.invariant.detail}`]));
    out.push(`The behaviour (${v.trace.steps.length} states; random, not necessarily the shortest: \`klpcheck check\` finds the shortest):`);
    out.push(renderTlcTrace(v.trace, { diff: true }));
    out.push(`Replay: ${replayCommand(args, r.seed, v.run)}`);
  } else {
    out.push(`No violation found in ${thousands(r.runs)} random behaviours of up to ${r.depth} steps${r.timedOut ? ` (stopped by --timeout after ${thousands(r.runs)} of ${thousands(r.runsRequested)})` : ''}.`);
    out.push(...r.warnings.map(warningLine));
    out.push('Simulation samples behaviours; it does not explore every reachable state (incomplete, exit 14). `klpcheck check` proves absence.');
  }
  out.push(`${thousands(r.generated)} states generated, ${thousands(r.distinct)} distinct states visited, longest behaviour ${r.longest} steps, ${duration(r.elapsedMs)}.`);
  const never = r.coverage.filter((c) => c.generated === 0).map((c) => c.action);
  if (never.length > 0) out.push(`Actions that never fired: ${never.join(', ')}.`);
  return `${out.join('\n')}\n`;
}

function toJson(args: SimulateArgs, r: SimulationResult<StateLike>, exitCode: number): object {
  const v = r.violation;
  return {
    spec: args.spec,
    model: r.model,
    mode: 'simulation',
    seed: r.seed,
    depth: r.depth,
    runs: r.runs,
    runsRequested: r.runsRequested,
    verdict: v === undefined ? 'incomplete' : v.kind,
    exitCode,
    generated: r.generated,
    distinct: r.distinct,
    longest: r.longest,
    timedOut: r.timedOut,
    ...(v === undefined
      ? {}
      : {
          violation: {
            kind: v.kind,
            ...(v.invariant ? { invariant: v.invariant.name, description: v.invariant.description } : {}),
            run: v.run,
            traceLength: v.trace.steps.length,
            replay: replayCommand(args, r.seed, v.run),
            trace: toItf(v.trace, { source: args.spec, status: 'violation', description: v.kind === 'deadlock' ? 'deadlock reached' : `invariant ${v.invariant!.name} violated` }),
          },
        }),
    coverage: r.coverage,
    warnings: r.warnings,
    invariants: r.invariants,
    checkDeadlock: r.checkDeadlock,
  };
}

/** The violation in the shape the mail report reads. */
function asCheckResult(model: Model<StateLike>, r: SimulationResult<StateLike>): CheckResult<StateLike> {
  const v = r.violation!;
  return {
    model: r.model,
    constants: model.constants,
    verdict: v.kind,
    violation: v,
    stats: { distinct: r.distinct, generated: r.generated, depth: v.trace.steps.length, queueLeft: 0, elapsedMs: r.elapsedMs, seenSetBytes: 0, collisionOptimistic: 0, collisionActual: 0 },
    coverage: r.coverage,
    warnings: [],
    invariants: r.invariants,
    checkDeadlock: r.checkDeadlock,
  };
}
