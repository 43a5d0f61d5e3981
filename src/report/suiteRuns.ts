// What `klpcheck suite` knows of each run, and its machine-readable
// renderings for CI: `--format json` (one object per run) and `--format
// junit` (JUnit XML: one testcase per run, a failure when the run did not
// give what its scenario expects, an error when the spec could not be
// checked, verdict and vacuity warnings in system-out). The XML is written
// by hand with one escaping function: five entities and the characters XML
// 1.0 forbids are all a well-formed report needs (ADR 0011).
import type { CheckWarning, Verdict } from '../engine/result.ts';
import { warningLine } from './warningText.ts';

export interface SuiteRun {
  file: string;
  /** The scenario's named variant; undefined for its base rules or a TypeScript spec. */
  variant?: string;
  kind: 'scenario' | 'spec';
  /** Rules that differ from today's kernel (scenarios). */
  rules: { readonly [family: string]: string };
  /** undefined when the spec could not be checked (see error). */
  verdict?: Verdict;
  /** "safe", "violated: P (trace 5)", ... */
  verdictText: string;
  property?: string;
  traceLength?: number;
  states?: number;
  generated?: number;
  depth?: number;
  elapsedMs?: number;
  /** What the scenario's `expect:` says, in words; undefined when it says nothing. */
  expected?: string;
  /** Whether the run gave what was expected; undefined without an expectation. */
  met?: boolean;
  /** Why not, when met is false. */
  miss?: string;
  warnings: readonly CheckWarning[];
  error?: { code: string; message: string };
}

export function renderSuiteJson(runs: readonly SuiteRun[], version: string): string {
  const summary = {
    runs: runs.length,
    asExpected: runs.filter((r) => r.met === true).length,
    notMet: runs.filter((r) => r.met === false).length,
    errors: runs.filter((r) => r.error !== undefined).length,
    withWarnings: runs.filter((r) => r.warnings.length > 0).length,
  };
  return `${JSON.stringify({ klpcheck: version, summary, runs }, null, 2)}\n`;
}

/** Text for XML attribute values and character data: the five entities, and no character XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attrs(values: { [name: string]: string | number }): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
}

function systemOut(r: SuiteRun): string {
  const lines = [
    `verdict: ${r.verdictText}`,
    ...(Object.keys(r.rules).length > 0 ? [`rules: ${Object.entries(r.rules).map(([k, v]) => `${k}=${v}`).join(', ')}`] : []),
    ...(r.states !== undefined ? [`states: ${r.states} distinct, ${r.generated} generated, depth ${r.depth}`] : []),
    ...(r.expected !== undefined ? [`expected: ${r.expected}`] : ['expected: (no expectation declared)']),
    ...r.warnings.map(warningLine),
  ];
  return lines.join('\n');
}

export function renderJunit(runs: readonly SuiteRun[]): string {
  const files = [...new Set(runs.map((r) => r.file))];
  const count = (rs: readonly SuiteRun[]): { tests: number; failures: number; errors: number; skipped: number } => ({
    tests: rs.length,
    failures: rs.filter((r) => r.met === false).length,
    errors: rs.filter((r) => r.error !== undefined).length,
    skipped: 0,
  });
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${attrs({ name: 'klpcheck suite', ...count(runs) })}>`];
  for (const file of files) {
    const rs = runs.filter((r) => r.file === file);
    const time = rs.reduce((t, r) => t + (r.elapsedMs ?? 0), 0) / 1000;
    out.push(`  <testsuite${attrs({ name: file, ...count(rs), time: time.toFixed(3) })}>`);
    for (const r of rs) {
      out.push(`    <testcase${attrs({ classname: file, name: r.variant ?? (r.kind === 'scenario' ? '(base rules)' : file), time: ((r.elapsedMs ?? 0) / 1000).toFixed(3) })}>`);
      if (r.error !== undefined) out.push(`      <error${attrs({ type: r.error.code, message: r.error.message.split('\n')[0]! })}>${escapeXml(r.error.message)}</error>`);
      else if (r.met === false) out.push(`      <failure${attrs({ type: 'expectation not met', message: r.miss ?? 'not as expected' })}>${escapeXml(r.miss ?? '')}</failure>`);
      out.push(`      <system-out>${escapeXml(systemOut(r))}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
