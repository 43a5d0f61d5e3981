// `klpcheck check` as a user runs it: verdicts, exit codes (docs/exit-codes.md),
// JSON summary and --out files.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/runCli.ts';
import { exploreReference } from '../support/referenceExplorer.ts';
import { instantiate } from '../../src/engine/spec.ts';
import diehard from '../../specs/examples/diehard.ts';

describe('klpcheck check', () => {
  it('reports a violated invariant with its shortest trace, exit 12', () => {
    const r = runCli(['check', 'specs/examples/diehard.ts']);
    assert.equal(r.code, 12);
    assert.match(r.stdout, /^Error: Invariant NotSolved is violated\.$/m);
    assert.match(r.stdout, /^State 7: <BigToSmall>\n\/\\ big = 4\n\/\\ small = 3$/m);
    assert.equal(r.stderr, '');
  });

  it('says no error with TLC figures, exit 0', () => {
    const r = runCli(['check', 'specs/examples/diehard.ts', '--invariant', 'TypeOK']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Model checking completed\. No error has been found\.$/m);
    assert.match(r.stdout, /^97 states generated, 16 distinct states found, 0 states left on queue\.$/m);
    assert.match(r.stdout, /^The depth of the complete state graph search is 8\.$/m);
  });

  it('reports a deadlock, exit 11; --no-deadlock turns it off', () => {
    const r = runCli(['check', 'test/support/counterSpec.ts']);
    assert.equal(r.code, 11);
    assert.match(r.stdout, /^Error: Deadlock reached\.$/m);
    assert.equal(runCli(['check', 'test/support/counterSpec.ts', '--no-deadlock']).code, 0);
  });

  it('overrides constants from the command line', () => {
    // N = 3: deadlock at 3, reached 0 -> 1 -> 3 (3 states).
    const r = runCli(['check', 'test/support/counterSpec.ts', '--const', 'N=3', '--format', 'json']);
    assert.equal(r.code, 11);
    const summary = JSON.parse(r.stdout) as { constants: { N: number }; violation: { traceLength: number } };
    assert.equal(summary.constants.N, 3);
    assert.equal(summary.violation.traceLength, 3);
  });

  it('ends incomplete when a bound is hit, exit 14, never "no error"', () => {
    const r = runCli(['check', 'test/support/counterSpec.ts', '--max-depth', '3']);
    assert.equal(r.code, 14);
    assert.match(r.stdout, /^Model checking incomplete: the depth limit of 3 \(--max-depth\) was reached\.$/m);
    assert.doesNotMatch(r.stdout, /No error has been found/);
  });

  it('prints a JSON summary with --format json', () => {
    const r = runCli(['check', 'specs/examples/diehard.ts', '--format', 'json']);
    assert.equal(r.code, 12);
    const s = JSON.parse(r.stdout) as { verdict: string; exitCode: number; stats: { distinct: number; generated: number }; violation: { invariant: string; traceLength: number; trace: { states: unknown[] } } };
    assert.deepEqual([s.verdict, s.exitCode, s.violation.invariant, s.violation.traceLength, s.violation.trace.states.length], ['invariant', 12, 'NotSolved', 7, 7]);
    const ref = exploreReference(instantiate(diehard));
    assert.deepEqual([s.stats.distinct, s.stats.generated], [ref.distinct, ref.generated]);
  });

  it('writes the summary and the trace (ITF, TLC text) with --out', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'klp-')), 'out');
    const r = runCli(['check', 'specs/examples/diehard.ts', '--out', dir]);
    assert.equal(r.code, 12);
    assert.deepEqual(readdirSync(dir).sort(), ['diehard.itf.json', 'diehard.summary.json', 'diehard.trace.txt']);
    const itf = JSON.parse(readFileSync(join(dir, 'diehard.itf.json'), 'utf8')) as { vars: string[]; states: unknown[] };
    assert.deepEqual(itf.vars, ['big', 'small']);
    assert.equal(itf.states.length, 7);
    assert.ok(readFileSync(join(dir, 'diehard.trace.txt'), 'utf8').startsWith('State 1: <Initial predicate>\n/\\ big = 0\n'));
  });

  it('--out names a variant\'s files after it: two variants in one folder keep both', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'klp-')), 'out');
    // S1 goal/synthetic is violated (trace 5), goal/empty is safe (docs/scenarios.md#s1).
    assert.equal(runCli(['check', 'specs/livepatch/s1-fork-matrix.yaml', '--variant', 'goal/synthetic', '--out', dir]).code, 12);
    assert.equal(runCli(['check', 'specs/livepatch/s1-fork-matrix.yaml', '--variant', 'goal/empty', '--out', dir]).code, 0);
    assert.deepEqual(readdirSync(dir).sort(), [
      's1-fork-matrix.goal-empty.summary.json',
      's1-fork-matrix.goal-synthetic.itf.json',
      's1-fork-matrix.goal-synthetic.summary.json',
      's1-fork-matrix.goal-synthetic.trace.txt',
    ]);
  });

  it('gives the same output on every run (timing off)', () => {
    const a = runCli(['check', 'specs/examples/twophase.ts', '--no-timing']);
    const b = runCli(['check', 'specs/examples/twophase.ts', '--no-timing']);
    assert.equal(a.code, 0);
    assert.equal(a.stdout, b.stdout);
    assert.match(a.stdout, /^1,146 states generated, 288 distinct states found, 0 states left on queue\.$/m);
  });

  it('prints progress lines on stderr with --progress', () => {
    const r = runCli(['check', 'specs/examples/chameneos.ts', '--progress', '--no-timing']);
    assert.equal(r.code, 0);
    // Chameneos takes about a second; a progress line is printed every 3 s, so
    // there may be none. Any line that is printed has TLC's shape.
    for (const line of r.stderr.split('\n').filter((l) => l !== '')) {
      assert.match(line, /^Progress\(\d+\) at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d: [\d,]+ states generated \([\d,]+ s\/min\), [\d,]+ distinct states found \([\d,]+ ds\/min\), [\d,]+ states left on queue\.$/);
    }
  });
});
