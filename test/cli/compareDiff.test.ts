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

  it('one swept family gives one row per variant, with whether the transition completes beside the safety verdict', () => {
    const r = runCli(['compare', 'specs/livepatch/s3-unwinder.yaml', '--vary', 'unwinder=naive,reliable,orc,none']);
    // S3 checks only I1, so compare adds L1 under every assumption. With
    // unwinder=none every stack check fails (no HAVE_RELIABLE_STACKTRACE):
    // T, idle in user space, is switched only at its next kernel exit, and a
    // user task need not make another system call (there is no `signal`
    // among the anytime actions to kick it). Lasso: init, enable P, then
    // nothing fair is enabled: 2 states. The other unwinders let the worker
    // switch T in user space, or T wakes (wake-up), returns and is switched
    // at kernel exit: completes. I1 holds under none: nothing is ever switched.
    assert.ok(
      r.stdout.includes(
        'unwinder  frames-agree-with-dispatch  transition-completes\n' +
          'naive     VIOLATED (7)                completes\n' +
          'reliable  safe                        completes\n' +
          'orc       safe                        completes\n' +
          'none      safe                        STALLS (2)\n',
      ),
      r.stdout,
    );
    assert.ok(
      r.stdout.endsWith(
        'STALLS (n): a fair run never completes; its lasso has n states.\n' +
          "transition-completes (L1) is not in the scenario's check list: checked under every assumption.\n",
      ),
      r.stdout,
    );
  });

  it('a liveness scenario: its own L1 under its own assumptions, no column added (S13, the three eras)', () => {
    const r = runCli(['compare', 'specs/livepatch/s13-cpu-bound-kthread.yaml', '--vary', 'sched-switch=none,cond-resched,freezable-sleep']);
    // Lassos of 7 states derived in test/livepatch/s13.test.ts. Where the
    // transition never completes, its completion (a cover goal) is never
    // reached: transition-bookkeeping's "safe" is vacuous there, and says so.
    assert.ok(
      r.stdout.includes(
        'sched-switch     transition-completes  transition-bookkeeping\n' +
          'none             STALLS (7)            safe (vacuous)\n' +
          'cond-resched     completes             safe\n' +
          'freezable-sleep  STALLS (7)            safe (vacuous)\n',
      ),
      r.stdout,
    );
    assert.match(r.stdout, /^\(vacuous\): nothing violated, but nothing really checked; klpcheck check on it lists why\.$/m);
    assert.ok(!r.stdout.includes('not in the scenario'), r.stdout);
    const json = JSON.parse(runCli(['compare', 'specs/livepatch/s13-cpu-bound-kthread.yaml', '--vary', 'sched-switch=none,cond-resched', '--format', 'json']).stdout) as { rows: { cells: { [p: string]: unknown } }[] };
    assert.deepEqual(json.rows.map((x) => x.cells['transition-completes']), [{ verdict: 'violated', traceLength: 7, temporal: true }, { verdict: 'safe', temporal: true }]);
  });

  it('the four models on a kthread asleep outside the patch, as Markdown', () => {
    const r = runCli(['compare', 'specs/livepatch/s6-liveness-kthread-outside-patch.yaml', '--vary', 'model=upstream,kpatch,kgraft,park-all', '--format', 'markdown']);
    // Verdicts and lasso lengths derived in test/livepatch/livenessModels.test.ts.
    assert.ok(
      r.stdout.includes('| model | transition-completes |\n| --- | --- |\n| upstream | completes |\n| kpatch | completes |\n| kgraft | STALLS (6) |\n| park-all | STALLS (6) |\n'),
      r.stdout,
    );
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
  it('unwinder=none breaks completion, not I1: the liveness verdict beside the safety one', () => {
    const r = runCli(['diff', 'specs/livepatch/s3-unwinder.yaml', '--from', 'unwinder=orc', '--to', 'unwinder=none']);
    assert.equal(r.code, 0, r.stderr);
    // The 2-state lasso of the compare test above.
    assert.match(r.stdout, /^Breaks: {4}transition-completes \(new counterexample: 2 states\)\nFixes: {5}\(none\)\nUnchanged: frames-agree-with-dispatch \(holds before and after\)$/m);
    assert.match(r.stdout, /^Broken by the change: transition-completes$/m);
    // check cannot run an L1 the scenario does not list; compare shows the same cell.
    assert.match(r.stdout, /^Reproduce: npx klpcheck compare specs\/livepatch\/s3-unwinder\.yaml \\\n {13}--vary unwinder=none$/m);
  });

  it('all-predecessors fixes S2, with the old counterexample', () => {
    const r = runCli(['diff', 'specs/livepatch/s2-immediate.yaml', '--from', 'stack-check=one-predecessor', '--to', 'stack-check=all-predecessors']);
    assert.equal(r.code, 0, r.stderr);
    // L1, added under every assumption: T wakes, returns to user space and
    // is switched at kernel exit whichever predecessors the check looks for.
    assert.match(r.stdout, /^Breaks: {4}\(none\)\nFixes: {5}stack-check-sound \(old counterexample: 8 states\)\nUnchanged: transition-completes \(holds before and after\)$/m);
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

describe('vacuity in compare and diff', () => {
  it('a patch of a function no task calls: every cell and every unchanged line says vacuous', () => {
    const dir = mkdtempSync(join(tmpdir(), 'klp-vacuous-sweep-'));
    const file = join(dir, 'uncalled.yaml');
    // g is patched, but T only ever calls f: nothing any property reads ever happens.
    writeFileSync(file, 'title: a patch of a function no task calls\nfunctions:\n  sys_read: [call f]\n  f: [sleep]\n  g: [sleep]\npatches:\n  - { name: P, replaces: [g] }\ntasks:\n  - { name: T, kind: user, syscalls: [sys_read] }\nadmin:\n  sequence: [enable P]\ncheck: [frames-agree-with-dispatch]\n');
    const c = runCli(['compare', file, '--vary', 'fork=goal,initial']);
    assert.match(c.stdout, /^goal +safe \(vacuous\) +completes \(vacuous\)$/m);
    const d = runCli(['diff', file, '--from', 'fork=goal', '--to', 'fork=initial']);
    assert.match(d.stdout, /frames-agree-with-dispatch \(holds vacuously before and\s+after\)/);
  });
});
