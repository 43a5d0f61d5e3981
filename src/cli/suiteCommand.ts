// `klpcheck suite [DIR...]` (what `npm start` runs): checks every bundled spec
// under the given folders with its own defaults, prints each report, then one
// table of spec, verdict and figures. A violation is a result, not a failure:
// the exit code is 0 unless a spec could not be loaded or checked (2).
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isKlpError } from '../engine/errors.ts';
import type { CheckResult } from '../engine/result.ts';
import { formatError } from '../report/errorText.ts';
import { duration, thousands } from '../report/format.ts';
import { renderTlcResult } from '../report/tlcText.ts';
import { renderHeader, runCheck, type Io } from './checkCommand.ts';

const SPEC_FILE = /\.(ts|js|mjs)$/;

export function findSpecFiles(dirs: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (SPEC_FILE.test(name) && !name.endsWith('.d.ts')) found.push(relative(process.cwd(), path) || path);
    }
  };
  for (const dir of dirs) walk(dir);
  return found;
}

export async function suiteCommand(dirs: readonly string[], io: Io): Promise<number> {
  const rows: [string, string, string, string, string, string][] = [];
  let failed = false;
  for (const file of findSpecFiles(dirs)) {
    io.out(`${'='.repeat(72)}\n`);
    try {
      const { model, result } = await runCheck(
        { spec: file, const: [], invariant: undefined, deadlock: undefined, maxStates: undefined, maxDepth: undefined, timeout: undefined, format: 'text', out: undefined, progress: false, diff: true, timing: true },
        io,
      );
      io.out(renderHeader(file, model, result));
      io.out(renderTlcResult(result, { diff: true, timing: true }));
      const s = result.stats;
      rows.push([file, verdictCell(result), thousands(s.distinct), thousands(s.generated), String(s.depth), duration(s.elapsedMs)]);
    } catch (e) {
      if (!isKlpError(e)) throw e;
      failed = true;
      io.out(`${e.location === undefined ? `${file}: ` : ''}${formatError(e)}\n`);
      rows.push([file, `error ${e.code}`, '', '', '', '']);
    }
  }
  io.out(`${'='.repeat(72)}\n${table(['Spec', 'Verdict', 'Distinct', 'Generated', 'Depth', 'Time'], rows)}`);
  return failed ? 2 : 0;
}

function verdictCell(r: CheckResult): string {
  const v = r.violation;
  if (v === undefined) return r.verdict === 'ok' ? 'no violation' : `incomplete (${r.bound!.kind})`;
  const what = v.kind === 'deadlock' ? 'deadlock' : `${v.invariant!.name} violated`;
  return `${what}, trace ${v.trace.steps.length}`;
}

function table(head: string[], rows: string[][]): string {
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const right = new Set([2, 3, 4, 5]);
  const line = (r: string[]): string =>
    r.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return `${[line(head), ...rows.map(line)].join('\n')}\n`;
}
