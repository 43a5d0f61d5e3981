// `klpcheck check` with temporal properties: exit 13 and a lasso in every
// trace format (TLC text, ITF loop index, mail report, JSON summary),
// --no-liveness, --property, and bad property names. The spec is
// specs/examples/mutex-fairness.ts, whose answers are derived in its header.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { hasStack, runCli } from '../support/runCli.ts';

const SPEC = 'specs/examples/mutex-fairness.ts';
const WEAK = ['--const', 'ENTER="weak"'];

describe('klpcheck check: liveness', () => {
  it('WF is not enough: exit 13, TLC text lasso ending "Back to state 2"', () => {
    const r = runCli(['check', SPEC, ...WEAK, '--no-timing']);
    assert.equal(r.code, 13);
    assert.match(r.stdout, /^Error: Temporal properties were violated\.$/m);
    assert.match(r.stdout, /^Error: The following behavior constitutes a counter-example:$/m);
    // Shortest lasso, by hand: Request(p1) makes the promise; p2 requests,
    // enters, exits, and the cycle (w,i) -> (w,w) -> (w,c) -> (w,i) repeats:
    // Enter(p1) is disabled at (w,c), so WF(Enter(p1)) holds on it.
    assert.match(r.stdout, /^State 4: <Enter\("p2"\)>\n\/\\ pc = \("p1" :> "waiting" @@ "p2" :> "critical"\)\n\nBack to state 2: <Exit\("p2"\)>$/m);
    assert.equal(r.stderr, '');
  });

  it('SF holds: exit 0 and the liveness line; 8 states and 14 edges as counted in the spec header', () => {
    const r = runCli(['check', SPEC, '--no-timing']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Temporal properties P1Enters hold under WF\(Exit\("p1"\)\), WF\(Exit\("p2"\)\), SF\(Enter\("p1"\)\), SF\(Enter\("p2"\)\) \(8 states, 14 edges, every fair cycle searched\)\.$/m);
  });

  it('no fairness on Enter: the lasso ends in stuttering', () => {
    const r = runCli(['check', SPEC, '--const', 'ENTER="none"', '--no-timing']);
    assert.equal(r.code, 13);
    assert.match(r.stdout, /^State 2: <Request\("p1"\)>\n\/\\ pc = \("p1" :> "waiting" @@ "p2" :> "idle"\)\n\nState 3: Stuttering$/m);
  });

  it('--no-liveness skips the pass and says so; exit 0', () => {
    const r = runCli(['check', SPEC, ...WEAK, '--no-liveness', '--no-timing']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Temporal properties: P1Enters \(not checked: --no-liveness\)$/m);
  });

  it('JSON summary, ITF loop index and the mail report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'klp-live-'));
    const r = runCli(['check', SPEC, ...WEAK, '--format', 'json', '--out', dir]);
    assert.equal(r.code, 13);
    const summary = JSON.parse(r.stdout);
    assert.equal(summary.verdict, 'liveness');
    assert.equal(summary.exitCode, 13);
    assert.equal(summary.violation.property, 'P1Enters');
    assert.equal(summary.violation.traceLength, 4);
    assert.equal(summary.violation.loop, 1);
    const itf = JSON.parse(readFileSync(join(dir, 'mutex-fairness.itf.json'), 'utf8'));
    assert.equal(itf.loop, 1);
    assert.equal(itf.states.length, 4);
    assert.match(readFileSync(join(dir, 'mutex-fairness.trace.txt'), 'utf8'), /Back to state 2: <Exit\("p2"\)>/);
    const mail = runCli(['check', SPEC, ...WEAK, '--format', 'mail']);
    assert.equal(mail.code, 13);
    assert.match(mail.stdout, /^Verdict: {3}NEVER HOLDS on a fair run: 4 steps, then loops forever from\n {11}step 2$/m);
    assert.match(mail.stdout, /^then Exit\("p2"\) leads back to step 2, and this loops forever from step\n2\./m);
  });

  it('--property selects; an unknown one is KLP120, exit 2, no stack', () => {
    assert.equal(runCli(['check', SPEC, ...WEAK, '--property', 'P1Enters']).code, 13);
    const r = runCli(['check', SPEC, '--property', 'Nope']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /error KLP120: spec MutexFairness has no temporal property Nope\n {2}its temporal properties are: P1Enters\n/);
    assert.ok(!hasStack(r.stderr));
  });

  it('compare shows the temporal verdict beside the safety ones: unwinder=none never completes without the fake signal', () => {
    // S6 (a) with signals: even with no reliable stack trace T completes. The
    // fake signal kicks T, idle in user space, through exit_to_user_mode()
    // (set_notify_signal()), or wakes T asleep in f and unwinds its system
    // call, which also ends at kernel exit: the way an architecture without
    // HAVE_RELIABLE_STACKTRACE completes a transition.
    const a = runCli(['compare', 'specs/livepatch/s6-liveness.yaml', '--vary', 'unwinder=orc,none']);
    assert.equal(a.code, 0);
    // A temporal cell reads "completes" or "STALLS (n)" (src/report/matrix.ts).
    assert.match(a.stdout, /^orc +completes +safe$/m);
    assert.match(a.stdout, /^none +completes +safe$/m);
    // No signal (s6-liveness-outside-patch.yaml): by hand, init, klp_enable_patch;
    // then nothing fair can switch T (no reliable stack trace, and a user task
    // is not assumed to make another syscall): 2 states.
    const r = runCli(['compare', 'specs/livepatch/s6-liveness-outside-patch.yaml', '--vary', 'unwinder=orc,none']);
    assert.match(r.stdout, /^orc +completes$/m);
    assert.match(r.stdout, /^none +STALLS \(2\)$/m);
  });

  it('diff names a temporal property the change breaks, with its lasso report', () => {
    const r = runCli(['diff', 'specs/livepatch/s6-liveness-outside-patch.yaml', '--from', 'unwinder=orc', '--to', 'unwinder=none']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Breaks: {4}transition-completes \(new counterexample: 2 states\)$/m);
    assert.match(r.stdout, /^Unchanged: \(none\)$/m);
    assert.match(r.stdout, /--property transition-completes/);
  });
});
