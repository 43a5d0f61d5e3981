// Livepatch scenario files through the command line: verdicts and exit codes,
// --rule and --variant, `klpcheck rules`, and located errors for bad input.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { hasStack, runCli } from '../support/runCli.ts';

const S1 = 'specs/livepatch/s1-fork-matrix.yaml';

describe('klpcheck check on a scenario', () => {
  it('today\'s kernel is safe for S1, exit 0, rules in the header', () => {
    const r = runCli(['check', S1, '--no-timing']);
    assert.equal(r.code, 0);
    // S1's rules: {model: upstream, fork: copy-parent, child-stack: empty} are today's kernel's.
    assert.match(r.stdout, /^Rules: as in today's kernel$/m);
    assert.match(r.stdout, /^Model checking completed\. No error has been found\.$/m);
  });

  it('--rule overrides the file: fork=goal with a copied stack breaks I1 in 5 states, exit 12', () => {
    const r = runCli(['check', S1, '--rule', 'fork=goal', '--rule', 'child-stack=copy-parent', '--format', 'json']);
    assert.equal(r.code, 12);
    const s = JSON.parse(r.stdout) as { violation: { invariant: string; traceLength: number } };
    assert.deepEqual([s.violation.invariant, s.violation.traceLength], ['frames-agree-with-dispatch', 5]);
  });

  it('--variant picks a named variant; by default the trace is told in kernel terms', () => {
    const r = runCli(['check', S1, '--variant', 'initial/copy', '--no-timing']);
    assert.equal(r.code, 12);
    assert.match(r.stdout, /^Rules: fork=initial, child-stack=copy-parent \(others as in today's kernel\)$/m);
    assert.match(r.stdout, /^=> {2}6 {2}parent forks child1 \(copy_process\)$/m);
    assert.match(r.stdout, /^Step 6 breaks frames-agree-with-dispatch: child1 \(UNPATCHED\) has a frame\nof kernel_clone@P but now dispatches kernel_clone to kernel_clone@orig\.$/m);
    assert.doesNotMatch(r.stdout, /^State \d+:/m);
  });

  it('--format tlc gives TLC\'s dump, naming task, frame and versions', () => {
    const r = runCli(['check', S1, '--variant', 'initial/copy', '--no-timing', '--format', 'tlc']);
    assert.equal(r.code, 12);
    assert.match(r.stdout, /^Rules \(variant initial\/copy\): model=upstream, fork=initial, child-stack=copy-parent, stack-check=one-predecessor, unwinder=orc, immediate=absent, sched-switch=freezable-sleep$/m);
    assert.match(r.stdout, /^ {2}Here: child1 \(UNPATCHED\) has a frame of kernel_clone@P but now dispatches kernel_clone to kernel_clone@orig$/m);
    assert.match(r.stdout, /^State 6: <copy_process\("parent"\)>$/m);
  });

  it('an unknown rule variant lists the valid ones, exit 2', () => {
    const r = runCli(['check', S1, '--rule', 'fork=goal2']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'error KLP203: unknown fork rule "goal2"\n  valid fork rules: goal, initial, copy-parent, copy-parent-nonatomic\n');
  });

  it('--rule on a TypeScript spec is refused', () => {
    const r = runCli(['check', 'specs/examples/diehard.ts', '--rule', 'fork=goal']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error KLP301: --rule, --variant, --symmetry and --por apply to livepatch scenario files \(\.yaml\) only\n$/);
  });

  it('a bad scenario file gets file:line:col, exit 2, no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'klp-yaml-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'title: t\nfunctions:\n  sys_a: [call f]\ntasks: []\ncheck: [frames-agree-with-dispatch]\n');
    const r = runCli(['check', file]);
    assert.equal(r.code, 2);
    assert.ok(r.stderr.startsWith(`${file}:3:11: error KLP204: `), r.stderr);
    assert.ok(!hasStack(r.stderr));
  });
});

describe('klpcheck rules', () => {
  it('lists every family with today\'s kernel marked, and the properties', () => {
    const r = runCli(['rules']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^fork: the patch state a forked child starts with$/m);
    assert.match(r.stdout, /^ {2}\* copy-parent +child copies the parent's state and pending flag at once \(today's kernel\)$/m);
    assert.match(r.stdout, /^ {4}all-predecessors +every older version down to the original/m);
    // A model that does not consult a rule family says so.
    assert.match(r.stdout, /^ {4}kgraft +kGraft: .*; ignores rules stack-check, unwinder, immediate, sched-switch$/m);
    for (const p of ['frames-agree-with-dispatch', 'stack-check-sound', 'patch-set-coherence', 'transition-bookkeeping', 'pending-consistency', 'completion-safety', 'free-safety', 'caller-consistency', 'data-semantics', 'transition-completes', 'unpatching-completes']) {
      assert.match(r.stdout, new RegExp(`^ {2}${p} +\\(`, 'm'));
    }
  });
});

describe('klpcheck suite on the scenarios', () => {
  it('prints one row per run, every one as its scenario expects', () => {
    const r = runCli(['suite', 'specs/livepatch']);
    assert.equal(r.code, 0, r.stdout.slice(-2000));
    // The table comes first, up to the first blank line.
    assert.ok(r.stdout.startsWith('Scenario '));
    const table = r.stdout.slice(0, r.stdout.indexOf('\n\n'));
    const rows = table.trimEnd().split('\n').slice(1);
    // S1: base + 9 cells = 10; S1a: 2; S2: 3; S3: 3; S3b (preempted): 3; S7: 2; S8: 1; S10: 2;
    // S6 force: base + no-force, kgraft, kgraft-no-force = 4;
    // S4: base + 5 variants = 6; S5: base + 4 = 5; S5 band-aid: base + 3 = 4;
    // S6 liveness: 4 files x (base + no-signal, reverse, force) = 16, plus
    // kgraft, kgraft-no-signal, kgraft-force in (a), (b), (c) and kgraft,
    // kgraft-force in (d) = 11: 27;
    // S6 outside the patch: user (base + kgraft, kgraft-signal, kpatch, park-all) = 5, kthread (base + kgraft, kpatch, park-all) = 4: 9;
    // S13: base + cond-resched, cond-resched-in-patched-function, freezable-sleep, freezable-sleep-force = 5.
    // 10+2+3+3+3+2+1+2 = 26; + 4 = 30; + 6+5+4 = 45; + 27 = 72; + 9 = 81; + 5 = 86.
    assert.equal(rows.length, 86);
    assert.ok(rows.every((row) => row.endsWith('as expected')), table);
    assert.match(table, /^s1-fork-matrix\.yaml +goal\/synthetic +fork=goal, child-stack=synthetic-initial +violated: frames-agree-with-dispatch \(trace 5\) +\d+ +as expected$/m);
  });
});
