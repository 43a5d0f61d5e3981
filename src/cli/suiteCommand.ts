// `klpcheck suite [DIR...]` (what `npm start` runs on specs/livepatch): checks
// every bundled spec under the given folders. TypeScript specs are checked
// with their defaults; each livepatch scenario (.yaml) under its own rules and
// then under each of its variants. Text: the tables first (one per kind),
// then a short report per run; or JSON / JUnit XML for CI (--format).
// Exit code: 0 when every run gave what its author expected (a violation is a
// result, not a failure), 1 when an expectation was not met (a run expected
// safe that carries warnings, i.e. checked something vacuously, is not met),
// 2 when a spec could not be loaded or checked, 14 when SIGINT/SIGTERM
// interrupted a TypeScript spec's search (the rest is not checked; what was
// done so far is printed), 15 under --strict when it would be 0 but some run
// warns (a run without expect:, or a TypeScript spec, that checked something
// vacuously). Plug-ins (*.plugin.ts) are not specs: the scenarios that list
// them load them.
import { readdirSync, statSync, type Stats } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { checkWithLiveness } from '../engine/liveness/checkLiveness.ts';
import { KlpError, isKlpError } from '../engine/errors.ts';
import { EXIT_CODES, type CheckResult } from '../engine/result.ts';
import { instantiate } from '../engine/spec.ts';
import { unmet, verdictText } from '../livepatch/expectation.ts';
import type { Expectation } from '../livepatch/scenario.ts';
import { loadScenarioFile } from '../spec/loadScenarioFile.ts';
import { formatError } from '../report/errorText.ts';
import { duration, thousands } from '../report/format.ts';
import { renderStepList } from '../report/stepList.ts';
import { warningLine } from '../report/warningText.ts';
import { renderJunit, renderSuiteJson, type SuiteRun } from '../report/suiteRuns.ts';
import { renderTable } from '../report/table.ts';
import { renderTlcResult } from '../report/tlcText.ts';
import { defaultCheckArgs, renderHeader, runCheck, type Io } from './checkCommand.ts';
import { changedRules, scenarioRun } from './scenarioRun.ts';
import { isScenarioFile } from './specFile.ts';
import { VERSION } from './version.ts';

const SPEC_FILE = /\.(ts|js|mjs|ya?ml)$/;

/**
 * The spec files under `dirs` (folders, sorted per folder, or single spec
 * files). A name that is neither, or folders holding no spec at all, are bad
 * input: a suite that checked nothing must not say "no error".
 */
export function findSpecFiles(dirs: readonly string[]): string[] {
  const found: string[] = [];
  const isSpec = (name: string): boolean => SPEC_FILE.test(name) && !name.endsWith('.d.ts') && !/\.plugin\.[jt]s$/.test(name) && !name.endsWith('.schema.json');
  const unreadable = (path: string, e: unknown): KlpError =>
    new KlpError('KLP301', `suite: cannot read ${path === '' ? '""' : path}`, { cause: e, hints: [(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : String((e as Error).message)] });
  const stat = (path: string): Stats => {
    try {
      return statSync(path);
    } catch (e) {
      throw unreadable(path, e);
    }
  };
  const list = (dir: string): string[] => {
    try {
      return readdirSync(dir).sort();
    } catch (e) {
      throw unreadable(dir, e);
    }
  };
  const walk = (dir: string): void => {
    for (const name of list(dir)) {
      const path = join(dir, name);
      if (stat(path).isDirectory()) walk(path);
      else if (isSpec(name)) found.push(relative(process.cwd(), path) || path);
    }
  };
  for (const dir of dirs) {
    const st = stat(dir);
    if (st.isDirectory()) walk(dir);
    else if (st.isFile() && isSpec(dir)) found.push(dir);
    else throw new KlpError('KLP303', `suite: ${dir} is neither a folder nor a spec file (.ts, .js, .yaml)`, { hints: ['e.g. klpcheck suite specs/livepatch'] });
  }
  if (found.length === 0) {
    throw new KlpError('KLP301', `no spec file (.ts, .js, .mjs, .yaml, .yml) under ${dirs.join(', ')}`, { hints: ['a suite that checks nothing proves nothing'] });
  }
  return found;
}

export type SuiteFormat = 'text' | 'json' | 'junit';

/** A run and the text shown for it under the tables. */
interface Done {
  run: SuiteRun;
  details: string;
  /** The signal that interrupted this run's search (SIGINT, SIGTERM). */
  interrupted?: string;
}

export async function suiteCommand(dirs: readonly string[], io: Io, format: SuiteFormat = 'text', strict = false): Promise<number> {
  const done: Done[] = [];
  const files = findSpecFiles(dirs);
  let interrupted: string | undefined;
  for (const [i, file] of files.entries()) {
    // The table waits for every run; on a terminal, say which file is being checked meanwhile.
    if (io.isErrTty) io.err(`\x1b[2K\rsuite: ${i + 1}/${files.length} ${file}`);
    try {
      if (isScenarioFile(file)) done.push(...(await checkScenarioFile(file)));
      else {
        const d = await checkSpecFile(file, io);
        done.push(d);
        if (d.interrupted !== undefined) {
          interrupted = d.interrupted;
          break;
        }
      }
    } catch (e) {
      if (!isKlpError(e)) throw e;
      const kind = isScenarioFile(file) ? 'scenario' : 'spec';
      done.push({ run: { file, kind, rules: {}, verdictText: `error ${e.code}`, warnings: [], error: { code: e.code, message: located(e, file) } }, details: `${located(e, file)}\n` });
    }
  }
  if (io.isErrTty) io.err('\x1b[2K\r');
  const runs = done.map((d) => d.run);
  if (format === 'json') io.out(renderSuiteJson(runs, VERSION));
  else if (format === 'junit') io.out(renderJunit(runs));
  else io.out(renderSuiteText(done));
  if (interrupted !== undefined) {
    if (format === 'text') io.out(`\nInterrupted (${interrupted}): the specs after the last row were not checked.\n`);
    return EXIT_CODES.incomplete;
  }
  const errors = runs.filter((r) => r.error !== undefined).length;
  const notMet = runs.filter((r) => r.met === false).length;
  const warned = runs.filter((r) => r.warnings.length > 0).length;
  if (strict && errors === 0 && notMet === 0 && warned > 0 && format === 'text') io.out(`\n--strict: ${warned} run(s) with warnings: exit ${EXIT_CODES.vacuous}.\n`);
  return errors > 0 ? 2 : notMet > 0 ? 1 : strict && warned > 0 ? EXIT_CODES.vacuous : 0;
}

/** The tables first (what a reader came for), then each run's short report. */
function renderSuiteText(done: readonly Done[]): string {
  const out: string[] = [];
  const specs = done.filter((d) => d.run.kind === 'spec').map((d) => d.run);
  const scenarios = done.filter((d) => d.run.kind === 'scenario').map((d) => d.run);
  const blank = (x: number | undefined, f: (n: number) => string): string => (x === undefined ? '' : f(x));
  if (scenarios.length > 0) {
    const rows = scenarios.map((r) => [basename(r.file), r.variant ?? '-', Object.entries(r.rules).map(([k, v]) => `${k}=${v}`).join(', ') || '-', r.verdictText, blank(r.states, thousands), expectedCell(r)]);
    out.push(renderTable(['Scenario', 'Variant', 'Rules (other than today\'s kernel)', 'Verdict', 'States', 'Expected'], rows, new Set([4])));
  }
  if (specs.length > 0) {
    const rows = specs.map((r) => [r.file, r.verdictText, blank(r.states, thousands), blank(r.generated, thousands), blank(r.depth, String), blank(r.elapsedMs, duration)]);
    out.push(renderTable(['Spec', 'Verdict', 'Distinct', 'Generated', 'Depth', 'Time'], rows, new Set([2, 3, 4, 5])));
  }
  const notMet = done.filter((d) => d.run.met === false).length;
  const errors = done.filter((d) => d.run.error !== undefined).length;
  const warned = done.filter((d) => d.run.warnings.length > 0).length;
  const tally = [`${done.length} run(s)`, `${done.filter((d) => d.run.met === true).length} as expected`];
  if (notMet > 0) tally.push(`${notMet} did not give the verdict their scenario expects`);
  if (errors > 0) tally.push(`${errors} could not be checked`);
  if (warned > 0) tally.push(`${warned} with warnings (something was not really checked)`);
  out.push(`${tally.join(', ')}.`);
  const rule = '='.repeat(72);
  out.push('', 'Details:');
  for (const d of done) out.push(`${rule}\n${d.details.trimEnd()}`);
  return `${out.join('\n')}\n`;
}

function expectedCell(r: SuiteRun): string {
  if (r.error !== undefined || r.met === undefined) return '';
  return r.met ? 'as expected' : `NOT MET: ${r.miss ?? ''}`;
}

async function checkSpecFile(file: string, io: Io): Promise<Done> {
  const { model, result } = await runCheck(defaultCheckArgs(file), io);
  const details = `${renderHeader(file, model, result)}${renderTlcResult(result, { diff: true, timing: true })}`;
  const interrupted = result.bound?.kind === 'interrupted' ? (result.bound.signal ?? 'a signal') : undefined;
  return { run: { file, kind: 'spec', rules: {}, ...resultFields(result), warnings: result.warnings }, details, ...(interrupted !== undefined ? { interrupted } : {}) };
}

function resultFields(result: CheckResult): Pick<SuiteRun, 'verdict' | 'verdictText' | 'property' | 'traceLength' | 'states' | 'generated' | 'depth' | 'elapsedMs'> {
  const v = result.violation;
  return {
    verdict: result.verdict,
    verdictText: verdictText(result),
    ...(v?.invariant !== undefined ? { property: v.invariant.name } : {}),
    ...(v !== undefined ? { traceLength: v.trace.steps.length } : {}),
    states: result.stats.distinct,
    generated: result.stats.generated,
    depth: result.stats.depth,
    elapsedMs: result.stats.elapsedMs,
  };
}

function expectationText(e: Expectation): string {
  if (e.verdict === 'safe') return 'safe';
  return `violated${e.property !== undefined ? `: ${e.property}` : ''}${e.traceLength !== undefined ? ` (trace ${e.traceLength})` : ''}`;
}

async function checkScenarioFile(file: string): Promise<Done[]> {
  const scenario = await loadScenarioFile(file);
  const out: Done[] = [];
  for (const variant of [undefined, ...scenario.variants.map((v) => v.name)]) {
    const run = scenarioRun(scenario, variant);
    const result = checkWithLiveness(instantiate(run.spec));
    const expect = run.scenario!.expect;
    const miss = expect === undefined ? undefined : unmet(result, expect);
    const rules = changedRules(run.scenario!.rules);
    const rulesLine = Object.entries(rules).map(([k, v]) => `${k}=${v}`).join(', ');
    const details = `${file}${variant ? ` [${variant}]` : ''}: ${scenario.title}\n  rules: ${rulesLine || 'today\'s kernel'}\n${scenarioReport(result)}`;
    out.push({
      run: {
        file,
        ...(variant !== undefined ? { variant } : {}),
        kind: 'scenario',
        rules,
        ...resultFields(result),
        ...(expect !== undefined ? { expected: expectationText(expect), met: miss === undefined } : {}),
        ...(miss !== undefined ? { miss } : {}),
        warnings: result.warnings,
      },
      details,
    });
  }
  return out;
}

function scenarioReport(r: CheckResult): string {
  const v = r.violation;
  const figures = `${thousands(r.stats.distinct)} distinct states, depth ${r.stats.depth}`;
  const warnings = r.warnings.map((w) => `  ${warningLine(w)}\n`).join('');
  if (v === undefined) return `  ${verdictText(r)}: no violation of ${r.invariants.join(', ') || 'any property (none checked)'} in ${figures}\n${warnings}`;
  const lines = [`  ${verdictText(r)}; ${figures}`];
  if (v.invariant?.detail !== undefined) lines.push(`  ${v.invariant.detail}`);
  return `${lines.join('\n')}\n${warnings}${renderStepList(v.trace)}`;
}

function located(e: KlpError, file: string): string {
  return `${e.location === undefined ? `${file}: ` : ''}${formatError(e)}`;
}

