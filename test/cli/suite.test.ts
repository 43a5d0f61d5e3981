// `klpcheck suite DIR` (what `npm start` runs on specs/livepatch): every spec
// checked, the table first, then the details; a spec that cannot be checked
// makes the exit code 2. --format json and --format junit for CI.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { escapeXml } from '../../src/report/suiteRuns.ts';
import { runCli } from '../support/runCli.ts';
import { runMain } from '../support/runMain.ts';

describe('klpcheck suite', () => {
  it('prints the table first, then the details', () => {
    const r = runCli(['suite', 'test/fixtures/suite']);
    assert.equal(r.code, 2);
    assert.ok(r.stdout.startsWith('Spec '), r.stdout.slice(0, 200));
    assert.match(r.stdout, /^test\/fixtures\/suite\/throws\.ts: error KLP108: spec Bad threw while evaluating action Boom: no$/m);
    const table = r.stdout.slice(0, r.stdout.indexOf('\n\n'));
    const rows = table.trimEnd().split('\n');
    assert.match(rows[0]!, /^Spec +Verdict +Distinct +Generated +Depth +Time$/);
    // Counter, N = 10: deadlock at 10 after 0,2,4,6,8 (hand count in test/support/counterSpec.ts).
    assert.match(rows[1]!, /^test\/fixtures\/suite\/counter\.ts +deadlock \(trace 6\) +11 +20 +6 +\S+s$/);
    assert.match(rows[2]!, /^test\/fixtures\/suite\/throws\.ts +error KLP108$/);
    assert.equal(rows.length, 3);
    assert.match(r.stdout, /^2 run\(s\), 0 as expected, 1 could not be checked\.$/m);
    assert.ok(r.stdout.indexOf('Details:') > r.stdout.indexOf('error KLP108\n'));
  });

  it('--format json: one object per run', () => {
    const r = runCli(['suite', 'test/fixtures/suite', '--format', 'json']);
    assert.equal(r.code, 2);
    const doc = JSON.parse(r.stdout) as { summary: { runs: number; errors: number }; runs: { file: string; kind: string; verdict?: string; traceLength?: number; states?: number; warnings: unknown[]; error?: { code: string } }[] };
    assert.deepEqual(doc.summary.runs, 2);
    assert.deepEqual(doc.summary.errors, 1);
    const counter = doc.runs.find((x) => x.file.endsWith('counter.ts'))!;
    // Counter: 11 distinct states 0..10, deadlock after 6 states (test/support/counterSpec.ts).
    assert.deepEqual([counter.kind, counter.verdict, counter.traceLength, counter.states, counter.warnings], ['spec', 'deadlock', 6, 11, []]);
    assert.equal(doc.runs.find((x) => x.file.endsWith('throws.ts'))!.error!.code, 'KLP108');
  });

  it('--format json on S2: each variant, its rules, its expectation met', () => {
    const r = runCli(['suite', 'specs/livepatch/s2-immediate.yaml', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    type Run = { variant?: string; rules: { [f: string]: string }; verdict: string; property?: string; traceLength?: number; expected?: string; met?: boolean; warnings: unknown[] };
    const doc = JSON.parse(r.stdout) as { runs: Run[] };
    // S2: the base rules and its two fixes (specs/livepatch/s2-immediate.yaml); the 8-state
    // counterexample is derived by hand in test/livepatch/scenarios.test.ts.
    assert.deepEqual(
      doc.runs.map((x) => [x.variant ?? '-', x.verdict, x.property ?? '-', x.traceLength ?? 0, x.met]),
      [
        ['-', 'invariant', 'stack-check-sound', 8, true],
        ['fix-a-all-predecessors', 'ok', '-', 0, true],
        ['fix-b-no-immediate', 'ok', '-', 0, true],
      ],
    );
    assert.deepEqual(doc.runs[0]!.rules, { immediate: 'allowed' });
    assert.equal(doc.runs[0]!.expected, 'violated: stack-check-sound (trace 8)');
  });

  it('a path that is neither a folder nor a spec file: one line, exit 2', () => {
    const r = runCli(['suite', 'README.md']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error KLP303: suite: README\.md is neither a folder nor a spec file/);
  });

  it('--format junit: well-formed XML, one testcase per run, errors and failures counted', () => {
    const r = runCli(['suite', 'test/fixtures/suite', '--format', 'junit']);
    assert.equal(r.code, 2);
    assertWellFormed(r.stdout);
    assert.match(r.stdout, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="klpcheck suite" tests="2" failures="0" errors="1" skipped="0">$/m);
    assert.equal((r.stdout.match(/<testcase /g) ?? []).length, 2);
    assert.match(r.stdout, /<error type="KLP108" message="test\/fixtures\/suite\/throws\.ts: error KLP108: spec Bad threw while evaluating action Boom: no">/);
  });

  it('--format junit: a run that misses its expectation is a failure, exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'klp-junit-'));
    // Nobody enables the patch, so nothing can break: the run is safe, not the violation it claims.
    writeFileSync(join(dir, 'wrong.yaml'), 'title: a wrong expectation\nfunctions:\n  sys_a: [sleep]\npatches:\n  - { name: P, replaces: [sys_a] }\ntasks:\n  - { name: T, kind: user, syscalls: [sys_a] }\ncheck: [frames-agree-with-dispatch]\nexpect: { verdict: violated }\n');
    const r = runCli(['suite', dir, '--format', 'junit']);
    assert.equal(r.code, 1);
    assertWellFormed(r.stdout);
    assert.match(r.stdout, /<testsuites name="klpcheck suite" tests="1" failures="1" errors="0" skipped="0">/);
    assert.match(r.stdout, /<testcase classname="[^"]*wrong\.yaml" name="\(base rules\)" time="[\d.]+">\n {6}<failure type="expectation not met" message="[^"]+">/);
  });

  it('escapes the five XML entities and drops characters XML forbids', () => {
    assert.equal(escapeXml('a<b>&"c"\'d\u0001e'), 'a&lt;b&gt;&amp;&quot;c&quot;&apos;d\ufffde');
  });
});

/** A tiny checker of XML structure (Node has no DOMParser): tags nest and close, attributes are quoted, no raw & or <. */
function assertWellFormed(xml: string): void {
  const body = xml.replace(/^<\?xml[^>]*\?>\n/, '');
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = token.exec(body)) !== null) {
    pos = token.lastIndex;
    if (m[5] !== undefined) {
      assert.doesNotMatch(m[5], /&(?!(amp|lt|gt|quot|apos);)/, `raw & in ${m[5]}`);
      continue;
    }
    for (const a of (m[3] ?? '').matchAll(/="([^"]*)"/g)) assert.doesNotMatch(a[1]!, /&(?!(amp|lt|gt|quot|apos);)/);
    if (m[1] === '/') assert.equal(stack.pop(), m[2], `closing ${m[2]}`);
    else if (m[4] !== '/') stack.push(m[2]!);
  }
  assert.equal(pos, body.length, `unparsable XML at ${body.slice(pos, pos + 80)}`);
  assert.deepEqual(stack, []);
}

describe('klpcheck suite: bad folders (found by the fuzz test)', () => {
  it('a missing folder, a file that is no spec, an empty folder: one error line, exit 2, nothing on stdout', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'klp-suite-'));
    const cases: [string, string][] = [
      ['specs/nope', 'error KLP301: suite: cannot read specs/nope\n  no such file or folder\n'],
      ['/dev/null', 'error KLP303: suite: /dev/null is neither a folder nor a spec file (.ts, .js, .yaml)\n  e.g. klpcheck suite specs/livepatch\n'],
      [empty, `error KLP301: no spec file (.ts, .js, .mjs, .yaml, .yml) under ${empty}\n  a suite that checks nothing proves nothing\n`],
    ];
    for (const [dir, err] of cases) {
      const r = await runMain(['suite', dir]);
      assert.deepEqual({ code: r.code, out: r.out, err: r.err }, { code: 2, out: '', err }, dir);
    }
  });
});
