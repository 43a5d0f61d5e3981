// `klpcheck compare` and `klpcheck diff` as a reviewer uses them. The S1
// matrix must be the table of docs/scenarios.md#s1, with the trace lengths
// derived by hand in test/livepatch/scenarios.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/runCli.ts';

const S1 = 'specs/livepatch/s1-fork-matrix.yaml';
const SWEEP = ['--vary', 'fork=goal,initial,copy-parent', '--vary', 'child-stack=empty,synthetic-initial,copy-parent'];

describe('klpcheck compare', () => {
  it('prints the S1 matrix', () => {
    const r = runCli(['compare', S1, ...SWEEP]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(
      r.stdout.includes(
        'fork \\ child-stack  empty  synthetic-initial  copy-parent\n' +
          'goal                safe   VIOLATED (5)       VIOLATED (5)\n' +
          'initial             safe   safe               VIOLATED (6)\n' +
          'copy-parent         safe   VIOLATED (6)       safe\n',
      ),
      r.stdout,
    );
  });

  it('as Markdown', () => {
    const r = runCli(['compare', S1, ...SWEEP, '--format', 'markdown']);
    assert.match(r.stdout, /^\| fork \\ child-stack \| empty \| synthetic-initial \| copy-parent \|$/m);
    assert.match(r.stdout, /^\| initial \| safe \| safe \| VIOLATED \(6\) \|$/m);
  });

  it('as JSON, one row per combination', () => {
    const r = runCli(['compare', S1, ...SWEEP, '--format', 'json']);
    const sweep = JSON.parse(r.stdout) as { rows: { rules: { fork: string; 'child-stack': string }; cells: { [p: string]: { verdict: string; traceLength?: number } } }[] };
    assert.equal(sweep.rows.length, 9);
    const cell = sweep.rows.find((x) => x.rules.fork === 'goal' && x.rules['child-stack'] === 'copy-parent')!.cells['frames-agree-with-dispatch'];
    assert.deepEqual(cell, { verdict: 'violated', traceLength: 5 });
  });

  it('one swept family gives one row per variant', () => {
    const r = runCli(['compare', 'specs/livepatch/s3-unwinder.yaml', '--vary', 'unwinder=naive,reliable,orc']);
    assert.match(r.stdout, /^unwinder +frames-agree-with-dispatch\nnaive +VIOLATED \(7\)\nreliable +safe\norc +safe$/m);
  });

  it('bad sweeps: one message, exit 2', () => {
    const cases: [string[], RegExp][] = [
      [['--vary', 'forks=goal'], /^error KLP203: --vary: unknown rule family "forks"\n/],
      [['--vary', 'fork=goal,gaol'], /^error KLP203: --vary: unknown fork rule "gaol"\n {2}valid fork rules: goal, initial, copy-parent, copy-parent-nonatomic\n$/],
      [['--vary', 'fork='], /^error KLP301: --vary fork= sweeps no variant\n/],
      [[], /^error KLP301: compare needs at least one --vary/],
    ];
    for (const [flags, pattern] of cases) {
      const r = runCli(['compare', S1, ...flags]);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, pattern);
    }
  });
});

describe('klpcheck diff', () => {
  it('all-predecessors fixes S2, with the old counterexample', () => {
    const r = runCli(['diff', 'specs/livepatch/s2-immediate.yaml', '--from', 'stack-check=one-predecessor', '--to', 'stack-check=all-predecessors']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Breaks: {4}\(none\)\nFixes: {5}stack-check-sound \(old counterexample: 8 states\)\nUnchanged: \(none\)$/m);
    assert.match(r.stdout, /^Fixed by the change: stack-check-sound$/m);
    assert.match(r.stdout, /^=> {2}8 {2}klp_try_switch_task\(T\)$/m);
  });

  it('goal with a copied child stack breaks I1 of today\'s kernel, with the new counterexample', () => {
    const r = runCli(['diff', S1, '--from', 'fork=copy-parent', '--from', 'child-stack=copy-parent', '--to', 'fork=goal', '--to', 'child-stack=copy-parent']);
    assert.match(r.stdout, /^Breaks: {4}frames-agree-with-dispatch \(new counterexample: 5 states\)$/m);
    assert.match(r.stdout, /^Broken by the change: frames-agree-with-dispatch$/m);
    for (const line of r.stdout.split('\n')) assert.ok(line.length <= 72, line);
  });

  it('two spec files with the same rules: every property is "unchanged" (S10 stays violated, 9 states)', () => {
    const r = runCli(['diff', 'specs/livepatch/s10-force-then-patch.yaml', 'specs/livepatch/s10-force-then-patch.yaml']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Unchanged: stack-check-sound \(violated before and after, 9 -> 9 states\)$/m);
  });

  it('OLD.yaml NEW.yaml: what changed in the spec, then the new trace shows only the steps that differ', () => {
    const dir = mkdtempSync(join(tmpdir(), 'klp-diff-'));
    const old = 'specs/livepatch/s10-force-then-patch.yaml';
    const neu = join(dir, 'new.yaml');
    // f now calls h, which sleeps: one more step (T calls h@orig) and T sleeps in h instead of f.
    writeFileSync(neu, readFileSync(old, 'utf8').replace('  f: [sleep]\n', '  f: [call h]\n  h: [sleep]\n'));
    const r = runCli(['diff', old, neu]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.startsWith('Spec changes (old file -> new file):\n  functions: f: [sleep] -> [call h]; + h: [sleep]\n\n'), r.stdout.slice(0, 300));
    // S10's 9-state trace (test/livepatch/scenarios.test.ts) gains the call step: 10 states.
    assert.match(r.stdout, /^Unchanged: stack-check-sound \(violated before and after, 9 -> 10 states\)$/m);
    // Steps 1-3 (initial, enter sys_read, call f) are the same; new 4 and 5 differ; new 6-10 are old 5-9.
    assert.match(r.stdout, /^The new trace \(10 states\): steps 1-3, 6-10 are the same as the old\ntrace's steps 1-3, 5-9; the steps that differ:\n\n {4}4 {2}T calls h@orig\n.*\n {4}5 {2}T sleeps in h@orig\n.*\n\nStep 10 breaks stack-check-sound/m);
    for (const line of r.stdout.split('\n')) assert.ok(line.length <= 72, line);
  });

  it('two files with the same content: no spec change, the same trace step for step', () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'klp-diff-')), 'copy.yaml');
    writeFileSync(copy, readFileSync('specs/livepatch/s10-force-then-patch.yaml', 'utf8'));
    const r = runCli(['diff', 'specs/livepatch/s10-force-then-patch.yaml', copy]);
    assert.match(r.stdout, /^ {2}\(none in rules, functions, patches, tasks, admin or check\)$/m);
    assert.match(r.stdout, /^The new trace is the same as the old one, step for step\.$/m);
  });

  it('the same rule on both sides is refused', () => {
    const r = runCli(['diff', S1, '--from', 'fork=copy-parent', '--to', 'fork=copy-parent']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'error KLP301: --from and --to give the same rules: nothing to compare\n');
  });
});
