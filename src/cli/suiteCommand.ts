// `klpcheck suite [DIR...]` (what `npm start` runs): checks every bundled spec
// under the given folders. TypeScript specs are checked with their defaults;
// each livepatch scenario (.yaml) under its own rules and then under each of
// its variants. Prints a short report per run, then one table per kind.
// Exit code: 0 when every run gave what its author expected (a violation is a
// result, not a failure), 1 when an expectation was not met, 2 when a spec
// could not be loaded or checked.
import { readdirSync, statSync, type Stats } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { check } from '../engine/bfs.ts';
import { KlpError, isKlpError } from '../engine/errors.ts';
import type { CheckResult } from '../engine/result.ts';
import { instantiate } from '../engine/spec.ts';
import { unmet, verdictText } from '../livepatch/expectation.ts';
import { RULE_FAMILIES } from '../livepatch/rules/index.ts';
import { loadScenario } from '../spec/loadScenario.ts';
import { formatError } from '../report/errorText.ts';
import { duration, thousands } from '../report/format.ts';
import { renderStepList } from '../report/stepList.ts';
import { renderTable } from '../report/table.ts';
import { renderTlcResult } from '../report/tlcText.ts';
import { defaultCheckArgs, renderHeader, runCheck, type Io } from './checkCommand.ts';
import { isScenarioFile, scenarioRun } from './specFile.ts';

const SPEC_FILE = /\.(ts|js|mjs|ya?ml)$/;

/**
 * The spec files under `dirs`, sorted per folder. A name that is not a
 * folder, or folders holding no spec at all, are bad input: a suite that
 * checked nothing must not say "no error".
 */
export function findSpecFiles(dirs: readonly string[]): string[] {
  const found: string[] = [];
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
      else if (SPEC_FILE.test(name) && !name.endsWith('.d.ts') && !name.endsWith('.schema.json')) found.push(relative(process.cwd(), path) || path);
    }
  };
  for (const dir of dirs) {
    if (!stat(dir).isDirectory()) throw new KlpError('KLP301', `suite takes folders; ${dir} is not one`, { hints: [`check one spec with: klpcheck check ${dir}`] });
  }
  for (const dir of dirs) walk(dir);
  if (found.length === 0) {
    throw new KlpError('KLP301', `no spec file (.ts, .js, .mjs, .yaml, .yml) under ${dirs.join(', ')}`, { hints: ['a suite that checks nothing proves nothing'] });
  }
  return found;
}

interface Tally {
  errors: number;
  unmet: number;
}

export async function suiteCommand(dirs: readonly string[], io: Io): Promise<number> {
  const tally: Tally = { errors: 0, unmet: 0 };
  const specRows: string[][] = [];
  const scenarioRows: string[][] = [];
  const rule = '='.repeat(72);
  for (const file of findSpecFiles(dirs)) {
    try {
      if (isScenarioFile(file)) await checkScenarioFile(file, io, scenarioRows, tally);
      else {
        io.out(`${rule}\n`);
        const { model, result } = await runCheck(defaultCheckArgs(file), io);
        io.out(renderHeader(file, model, result));
        io.out(renderTlcResult(result, { diff: true, timing: true }));
        const s = result.stats;
        specRows.push([file, verdictText(result), thousands(s.distinct), thousands(s.generated), String(s.depth), duration(s.elapsedMs)]);
      }
    } catch (e) {
      if (!isKlpError(e)) throw e;
      tally.errors++;
      io.out(`${rule}\n${located(e, file)}\n`);
      (isScenarioFile(file) ? scenarioRows : specRows).push([file, `error ${e.code}`, '', '', '', '']);
    }
  }
  io.out(`${rule}\n`);
  if (specRows.length > 0) io.out(`\n${renderTable(['Spec', 'Verdict', 'Distinct', 'Generated', 'Depth', 'Time'], specRows, new Set([2, 3, 4, 5]))}`);
  if (scenarioRows.length > 0) io.out(`\n${renderTable(['Scenario', 'Variant', 'Rules (other than today\'s kernel)', 'Verdict', 'States', 'Expected'], scenarioRows, new Set([4]))}`);
  if (tally.unmet > 0) io.out(`\n${tally.unmet} run(s) did not give the verdict their scenario expects.\n`);
  return tally.errors > 0 ? 2 : tally.unmet > 0 ? 1 : 0;
}

async function checkScenarioFile(file: string, io: Io, rows: string[][], tally: Tally): Promise<void> {
  const scenario = loadScenario(file);
  for (const variant of [undefined, ...scenario.variants.map((v) => v.name)]) {
    const run = scenarioRun(scenario, variant);
    const result = check(instantiate(run.spec));
    const expect = run.scenario!.expect;
    const miss = expect === undefined ? undefined : unmet(result, expect);
    if (miss !== undefined) tally.unmet++;
    const rules = nonDefaultRules(run.scenario!.rules);
    io.out(`${'='.repeat(72)}\n${file}${variant ? ` [${variant}]` : ''}: ${scenario.title}\n  rules: ${rules || 'today\'s kernel'}\n`);
    io.out(scenarioReport(result));
    rows.push([basename(file), variant ?? '-', rules || '-', verdictText(result), thousands(result.stats.distinct), expect === undefined ? '' : miss === undefined ? 'as expected' : `NOT MET: ${miss}`]);
  }
}

function scenarioReport(r: CheckResult): string {
  const v = r.violation;
  const figures = `${thousands(r.stats.distinct)} distinct states, depth ${r.stats.depth}`;
  if (v === undefined) return `  ${verdictText(r)}: no violation of ${r.invariants.join(', ')} in ${figures}\n`;
  const lines = [`  ${verdictText(r)}; ${figures}`];
  if (v.invariant?.detail !== undefined) lines.push(`  ${v.invariant.detail}`);
  return `${lines.join('\n')}\n${renderStepList(v.trace)}`;
}

function nonDefaultRules(rules: { readonly [family: string]: string }): string {
  return RULE_FAMILIES.filter((f) => rules[f.name] !== undefined && rules[f.name] !== f.default)
    .map((f) => `${f.name}=${rules[f.name]}`)
    .join(', ');
}

function located(e: KlpError, file: string): string {
  return `${e.location === undefined ? `${file}: ` : ''}${formatError(e)}`;
}

