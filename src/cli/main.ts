// The command line: yargs commands, one handler each, and the one place where
// a KlpError becomes a message and exit code 2. A stack trace is shown only
// with --debug. Exit codes (docs/exit-codes.md): 0 no violation, 11 deadlock,
// 12 invariant violated, 13 liveness violated, 14 incomplete (a bound, or
// SIGINT/SIGTERM), 15 vacuous under --strict, 2 bad input.
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { KlpError, isKlpError } from '../engine/errors.ts';
import { EXIT_CODES } from '../engine/result.ts';
import { formatError } from '../report/errorText.ts';
import { checkCommand, type CheckArgs, type Io } from './checkCommand.ts';
import { compareCommand } from './compareCommand.ts';
import { diffCommand } from './diffCommand.ts';
import { rulesCommand } from './rulesCommand.ts';
import { simulateCommand } from './simulateCommand.ts';
import { suiteCommand } from './suiteCommand.ts';
import { VERSION } from './version.ts';

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isErrTty: process.stderr.isTTY === true,
  colour: process.stdout.isTTY === true && (process.env.NO_COLOR ?? '') === '',
};

function withCheckOptions<T>(y: Argv<T>) {
  return y
    .option('rule', { type: 'string', array: true, default: [] as string[], describe: 'Scenario files: use this rule variant, FAMILY=VARIANT (repeatable; klpcheck rules lists them)' })
    .option('plugin', { type: 'string', array: true, default: [] as string[], describe: 'Scenario files: also load this plug-in file, whose variants --rule may then name (repeatable)' })
    .option('variant', { type: 'string', describe: 'Scenario files: check this named variant of the scenario' })
    .option('const', { type: 'string', array: true, default: [] as string[], describe: 'Override a constant, NAME=VALUE (repeatable), as in a TLC .cfg: N=3, RM={r1, r2} (model values), G={{a, b}, {c}}, R=[f |-> 1]; checked against the spec\'s default' })
    .option('invariant', { alias: 'i', type: 'string', array: true, describe: 'Check only these invariants (repeatable); default: the spec\'s own list' })
    .option('deadlock', { type: 'boolean', describe: 'Check for deadlock (--no-deadlock to turn off); default: the spec\'s setting' })
    .option('max-states', { type: 'number', describe: 'Stop, incomplete, after this many distinct states' })
    .option('max-depth', { type: 'number', describe: 'Do not expand states deeper than this (initial states are depth 1)' })
    .option('timeout', { type: 'number', describe: 'Stop, incomplete, after this many seconds' })
    .option('workers', { type: 'number', describe: 'Worker threads for the breadth-first search, the main thread counting as one (TLC -workers); same verdict, figures and shortest trace with any number; pays off on searches of more than a few seconds (a worker thread takes about half a second to start and compile); default 1' })
    .option('out', { type: 'string', describe: 'Write the summary and any trace (ITF JSON, TLC text) into this directory' })
    .option('progress', { type: 'boolean', default: false, describe: 'Print progress lines on stderr even when it is not a terminal' })
    .option('symmetry', { type: 'boolean', default: false, describe: 'Scenario files: symmetry reduction over interchangeable tasks and child slots (fewer states; same verdicts and shortest traces)' })
    .option('por', { type: 'boolean', default: false, describe: 'Scenario files: partial-order reduction over task-local steps (fewer states; same verdicts; a trace may be longer than the shortest; safety only)' })
    .option('strict', { type: 'boolean', default: false, describe: 'Exit 15 when nothing is violated but the run warns that something was not really checked (KLP5nn: no property, a cover goal never reached, a premise that never holds, a patch never enabled, unused fairness, a plug-in not type-checked, ...)' })
    .option('liveness', { type: 'boolean', default: true, describe: 'Check the spec\'s temporal properties under its fairness after the safety search (--no-liveness to skip; exit 13 when one fails)' })
    .option('property', { alias: 'p', type: 'string', array: true, describe: 'Check only these temporal properties (repeatable); default: all the spec declares' })
    .option('frontier-dir', { type: 'string', describe: 'Large runs: spill the packed frontier into a temporary folder made in this folder (default: the system temp folder); removed at the end' })
    .option('frontier-memory', { type: 'number', describe: 'Large runs: MiB of packed frontier kept in memory before spilling to disk (default 4096)' });
}

/** What `check` adds to the options it shares with `report` (which always writes the mail report). */
function withOutputOptions<T>(y: Argv<T>) {
  return withCheckOptions(y)
    .option('format', { choices: ['text', 'tlc', 'json', 'mail', 'dot', 'html'] as const, default: 'text' as const, describe: 'Output on stdout. text: for a scenario the trace told in kernel terms, for a TypeScript spec TLC\'s output; tlc: TLC\'s output (every variable in TLA+ syntax); json: a summary; mail: the mailing-list report; dot: Graphviz; html: a trace viewer' })
    .option('graph', { type: 'boolean', default: false, describe: 'With --format dot: the whole state graph (small models), the violating path in red' })
    .option('diff', { type: 'boolean', default: false, describe: 'With --format tlc (or text on a TypeScript spec): print only the variables that changed (TLC -difftrace); narrated traces always do' })
    .option('timing', { type: 'boolean', default: true, describe: 'Print elapsed time and rates (--no-timing for byte-stable output)' })
    .option('coverage', { type: 'boolean', default: false, describe: 'Text output: print per-action coverage (distinct:generated) as TLC -coverage does (always in --format json)' });
}

type ParsedCheckArgs = Awaited<ReturnType<ReturnType<typeof withOutputOptions<{ spec: string }>>['parseAsync']>>;
type ParsedReportArgs = Awaited<ReturnType<ReturnType<typeof withCheckOptions<{ spec: string }>>['parseAsync']>>;

function reportArgs(a: ParsedReportArgs): CheckArgs {
  return checkArgs({ ...a, format: 'mail', graph: false, diff: false, timing: false, coverage: false });
}

function checkArgs(a: ParsedCheckArgs): CheckArgs {
  return {
    spec: a.spec,
    rule: a.rule,
    plugin: a.plugin,
    variant: a.variant,
    const: a.const,
    invariant: a.invariant,
    deadlock: a.deadlock,
    maxStates: a['max-states'],
    maxDepth: a['max-depth'],
    timeout: a.timeout,
    ...(a.workers !== undefined ? { workers: a.workers } : {}),
    format: a.format,
    out: a.out,
    progress: a.progress,
    diff: a.diff,
    timing: a.timing,
    graph: a.graph,
    symmetry: a.symmetry,
    por: a.por,
    strict: a.strict,
    coverage: a.coverage,
    liveness: a.liveness,
    property: a.property,
    frontierDir: a['frontier-dir'],
    frontierMemory: a['frontier-memory'],
  };
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let exitCode = 0;
  let usageFailed = false;
  const debug = argv.includes('--debug');
  // Handlers only record what to run: yargs may call a handler before it has
  // finished validating, and a bad command line must run nothing.
  let pending: (() => Promise<number>) | undefined;
  const guard = (a: { readonly [key: string]: unknown }, f: () => Promise<number>): void => {
    pending = async () => {
      givenOnce(a);
      return f();
    };
  };
  const parser = yargs([...argv])
    .scriptName('klpcheck')
    .parserConfiguration({ 'camel-case-expansion': false })
    .version(VERSION)
    .usage('klpcheck: an explicit-state model checker for the Linux livepatch consistency model\n\nUsage: $0 <command> [options]')
    .option('debug', { type: 'boolean', default: false, describe: 'Show stack traces of internal errors' })
    .command(
      'check <spec>',
      'Check every reachable state of a spec: a livepatch scenario (.yaml) or a TypeScript module',
      (y) => withOutputOptions(y.positional('spec', { type: 'string', demandOption: true, describe: 'Spec file, e.g. specs/livepatch/s2-immediate.yaml or specs/examples/diehard.ts' })),
      (a) => guard(a, () => checkCommand(checkArgs(a), io)),
    )
    .command(
      'report <spec>',
      'Check a spec and print the mailing-list report (same as check --format mail)',
      (y) => withCheckOptions(y.positional('spec', { type: 'string', demandOption: true, describe: 'Spec file' })),
      (a) => guard(a, () => checkCommand(reportArgs(a), io)),
    )
    .command(
      'suite [dirs..]',
      'Check every spec under the given folders (each scenario under each of its variants) and print the table first, then a short report per run (npm start)',
      (y) =>
        y
          .positional('dirs', { type: 'string', array: true, default: ['specs/livepatch'], describe: 'Folders to search for specs (specs/examples: the TLA+ ports, slower)' })
          .option('format', { choices: ['text', 'json', 'junit'] as const, default: 'text' as const, describe: 'text: tables and reports; json: one object per run; junit: JUnit XML for CI (one testcase per run)' })
          .option('strict', { type: 'boolean', default: false, describe: 'Exit 15 when every run gave what was expected but some run warns (something was not really checked)' }),
      (a) => guard(a, () => suiteCommand(a.dirs, io, a.format, a.strict)),
    )
    .command(
      'compare <spec>',
      'Check a scenario under every combination of the swept rules and print the matrix',
      (y) =>
        y
          .positional('spec', { type: 'string', demandOption: true, describe: 'Scenario file (.yaml)' })
          .option('vary', { type: 'string', array: true, default: [] as string[], describe: 'FAMILY=VARIANT,VARIANT,... to sweep (repeatable; plug-in variants too)' })
          .option('plugin', { type: 'string', array: true, default: [] as string[], describe: 'Also load this plug-in file, whose variants --vary may then name (repeatable)' })
          .option('variant', { type: 'string', describe: 'Start from this named variant of the scenario' })
          .option('format', { choices: ['text', 'markdown', 'json'] as const, default: 'text' as const, describe: 'text: the matrix (ASCII, within 72 columns for mail); markdown: a table; json: one row per combination' }),
      (a) => guard(a, async () => compareCommand({ spec: a.spec, vary: a.vary, variant: a.variant, format: a.format, plugin: a.plugin }, io)),
    )
    .command(
      'diff <specs..>',
      'What a rule change breaks and fixes: SPEC --from FAMILY=V --to FAMILY=W, or OLD.yaml NEW.yaml',
      (y) =>
        y
          .positional('specs', { type: 'string', array: true, demandOption: true, describe: 'One scenario with --from/--to, or two scenarios' })
          .option('from', { type: 'string', array: true, default: [] as string[], describe: 'The rules before the change, FAMILY=VARIANT (repeatable)' })
          .option('to', { type: 'string', array: true, default: [] as string[], describe: 'The rules after the change, FAMILY=VARIANT (repeatable)' })
          .option('variant', { type: 'string', describe: 'Start from this named variant of the scenario' })
          .option('plugin', { type: 'string', array: true, default: [] as string[], describe: 'Also load this plug-in file, whose variants --from/--to may then name (repeatable)' }),
      (a) => guard(a, async () => diffCommand({ specs: a.specs, from: a.from, to: a.to, variant: a.variant, plugin: a.plugin }, io)),
    )
    .command(
      'rules',
      'List every rule family and its variants, and the properties a scenario can check',
      (y) => y.option('plugin', { type: 'string', array: true, default: [] as string[], describe: 'Also list the variants this plug-in file adds (repeatable; docs/proposing-a-rule.md)' }),
      (a) => guard(a, async () => rulesCommand(io, a.plugin)),
    )
    .command(
      'simulate <spec>',
      'Walk random behaviours (for models too large to exhaust); reproducible from --seed, never a proof',
      (y) =>
        y
          .positional('spec', { type: 'string', demandOption: true, describe: 'Spec file' })
          .option('seed', { type: 'number', describe: 'Seed of the random choices (default: a random one, printed)' })
          .option('depth', { type: 'number', default: 100, describe: 'Steps per behaviour at most (TLC -depth)' })
          .option('runs', { type: 'number', default: 1000, describe: 'Behaviours to walk (TLC -num)' })
          .option('run', { type: 'number', describe: 'Replay only this behaviour (0-based), as a violation report names it' })
          .option('timeout', { type: 'number', describe: 'Stop after this many seconds' })
          .option('rule', { type: 'string', array: true, default: [] as string[], describe: 'Scenario files: use this rule variant, FAMILY=VARIANT (repeatable)' })
          .option('variant', { type: 'string', describe: 'Scenario files: simulate this named variant' })
          .option('const', { type: 'string', array: true, default: [] as string[], describe: 'Override a constant, NAME=VALUE (repeatable)' })
          .option('invariant', { alias: 'i', type: 'string', array: true, describe: 'Check only these invariants (repeatable)' })
          .option('deadlock', { type: 'boolean', describe: 'Check for deadlock (--no-deadlock to turn off)' })
          .option('format', { choices: ['text', 'json', 'mail'] as const, default: 'text' as const, describe: 'Output: text, a JSON summary, or the mailing-list report of a violation' })
          .option('strict', { type: 'boolean', default: false, describe: 'Exit 15 instead of 14 when no violation was found but the run warns (no property, a cover goal never reached, a premise that never holds, a temporal property not checked)' }),
      (a) =>
        guard(a, () =>
          simulateCommand(
            { spec: a.spec, rule: a.rule, variant: a.variant, const: a.const, invariant: a.invariant, deadlock: a.deadlock, seed: a.seed, depth: a.depth, runs: a.runs, run: a.run, timeout: a.timeout, format: a.format, strict: a.strict },
            io,
          ),
        ),
    )
    .demandCommand(1, 'Name a command: check, report, simulate, compare, diff, suite or rules (see --help)')
    .strict()
    .epilog('Exit codes: 0 no violation, 11 deadlock, 12 invariant violated, 13 liveness violated, 14 incomplete (a bound was hit, or SIGINT/SIGTERM), 15 vacuous (--strict: no violation, but warnings), 2 bad command line or spec.')
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((msg, err) => {
      if (err !== undefined && err !== null && !isKlpError(err)) throw err;
      if (usageFailed) return; // yargs may report one mistake twice; one message is enough
      usageFailed = true;
      exitCode = reportFailure(err ?? new KlpError('KLP301', usageMessage(msg)), io, debug, true);
    });
  const first = argv[0];
  if (first !== undefined && !first.startsWith('-') && !COMMANDS.includes(first)) {
    const e = new KlpError('KLP301', `unknown command "${first}"`, { hints: [`commands: ${COMMANDS.join(', ')} (klpcheck --help)`] });
    return reportFailure(e, io, debug);
  }
  try {
    await parser.parseAsync();
    if (!usageFailed && pending !== undefined) exitCode = await pending();
  } catch (e) {
    exitCode = reportFailure(e, io, debug);
  }
  return exitCode;
}

/** Options that take one value: yargs turns a repeated one into a list, which no command expects. */
const SINGLE = ['variant', 'deadlock', 'max-states', 'max-depth', 'timeout', 'workers', 'format', 'graph', 'out', 'progress', 'diff', 'timing', 'debug', 'frontier-dir', 'frontier-memory'];

function givenOnce(a: { readonly [key: string]: unknown }): void {
  for (const key of SINGLE) {
    const v = a[key];
    if (Array.isArray(v)) throw new KlpError('KLP301', `--${key} is given ${v.length} times; give it once`);
  }
}

const COMMANDS = ['check', 'report', 'simulate', 'suite', 'compare', 'diff', 'rules'];

/**
 * yargs' own messages, made one line where it spreads one mistake over
 * several: "Invalid values:\n  Argument: format, Given: "x", Choices: ..."
 * becomes `--format takes one of text, json, ...; got "x"`.
 */
export function usageMessage(msg: string): string {
  const invalid = /^Invalid values?:\n\s*Argument: ([^,]+), Given: (.*), Choices: (.*)$/.exec(msg);
  if (invalid !== null) {
    const choices = invalid[3]!.split(', ').map((c) => c.replace(/^"(.*)"$/, '$1'));
    return `--${invalid[1]} takes one of ${choices.join(', ')}; got ${invalid[2]}`;
  }
  return msg.replace(/\s*\n\s*/g, '; ');
}

function reportFailure(e: unknown, io: Io, debug: boolean, usage = false): number {
  if (isKlpError(e)) {
    io.err(`${formatError(e)}\n`);
    if (usage) io.err('Run klpcheck --help for usage.\n');
    if (debug && e.cause instanceof Error && e.cause.stack) io.err(`${e.cause.stack}\n`);
    return EXIT_CODES.usage;
  }
  const msg = e instanceof Error ? e.message : String(e);
  io.err(`klpcheck: internal error: ${msg}${debug ? '' : ' (run with --debug for details)'}\n`);
  if (debug && e instanceof Error && e.stack) io.err(`${e.stack}\n`);
  return 1;
}

export async function runFromProcess(): Promise<void> {
  // A reader that stops early (`| head`) is not an error of ours.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  process.exitCode = await main(hideBin(process.argv));
}
