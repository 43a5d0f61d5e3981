// The consistency models from the command line: `compare --vary model=...`
// prints S4 and S5 side by side with the verdicts of the livepatch rules
// reference (section 3) and the trace lengths counted by hand in
// test/livepatch/models.test.ts; reports tell kpatch steps in kpatch terms;
// an admin step a model does not have is refused with exit 2 and one line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasStack, runCli } from '../support/runCli.ts';

const MODELS = ['--vary', 'model=upstream,kpatch,kgraft,park-all'];

describe('klpcheck compare --vary model', () => {
  it('S4: kpatch and upstream mix versions in one activation of c; kGraft and park-all do not', () => {
    const r = runCli(['compare', 'specs/livepatch/s4-loop-mixing.yaml', ...MODELS]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(
      // transition-completes (L1) is added under every assumption (S4 checks
      // none): kGraft switches T only when it crosses the user/kernel
      // boundary, and a user task need not make another system call (kGraft's
      // fake signal is not modelled): init, kgr_modify_kernel, then nothing
      // fair: 2 states. Park-all finds T in user space again and again
      // (wake-up, return), and its freeze is strongly fair: completes.
      r.stdout.includes(
        'model     caller-consistency  transition-completes\n' +
          'upstream  VIOLATED (11)       completes\n' +
          'kpatch    VIOLATED (10)       completes\n' +
          'kgraft    safe                STALLS (2)\n' +
          'park-all  safe                completes\n',
      ),
      r.stdout,
    );
  });
  it('S5 with c in the patch: safe under every model (c on the stack blocks the upstream switch and the kpatch check)', () => {
    const r = runCli(['compare', 'specs/livepatch/s5-data-semantics.yaml', ...MODELS, '--variant', 'upstream-c-in-patch']);
    assert.equal(r.code, 0, r.stderr);
    // L1 added, as for S4: kGraft may never converge (2 states), the others complete.
    assert.ok(
      r.stdout.includes(
        'model     data-semantics  transition-completes\n' +
          'upstream  safe            completes\n' +
          'kpatch    safe            completes\n' +
          'kgraft    safe            STALLS (2)\n' +
          'park-all  safe            completes\n',
      ),
      r.stdout,
    );
  });
});

describe('reports under the other models', () => {
  it('kpatch: the stop_machine step is told in kpatch terms', () => {
    const r = runCli(['check', 'specs/livepatch/s4-loop-mixing.yaml', '--variant', 'kpatch', '--format', 'mail']);
    assert.equal(r.code, 12, r.stderr);
    assert.match(r.stdout, /stop_machine\(kpatch_apply_patch\): no task has a function of P on\s+its stack; P applied to every task at once/);
    assert.match(r.stdout, /T's activation of c@orig called\s+bar@orig and then bar@P/);
  });
});

describe('a model without the admin step asked for', () => {
  it('force under kpatch: exit 2, one line naming the file, no stack', () => {
    const r = runCli(['check', 'specs/livepatch/s6-force.yaml', '--rule', 'model=kpatch']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^specs\/livepatch\/s6-force\.yaml: error KLP220: model kpatch does not model the anytime admin actions force, signal\n/);
    assert.ok(!hasStack(r.stderr), r.stderr);
  });
});
