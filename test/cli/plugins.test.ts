// Plug-ins from the command line, as a maintainer runs them: the worked S1c
// proposal, `rules --plugin`, `compare` sweeping a plug-in variant, and bad
// plug-ins failing with one message, exit 2, no stack and no output file.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { hasStack, runCli } from '../support/runCli.ts';

describe('klpcheck with plug-ins', () => {
  it('report finds S1c unsafe under fork=idle-lazy (exit 12) and names the plug-in', () => {
    const r = runCli(['report', 'specs/proposals/s1c-idle-lazy-fork.yaml']);
    assert.equal(r.code, 12, r.stderr);
    assert.match(r.stdout, /^Plug-ins: {2}fork=idle-lazy from specs\/proposals\/idle-lazy-fork\.plugin\.ts$/m);
    // 8 states: derived by hand in test/livepatch/plugins.test.ts.
    assert.match(r.stdout, /^Verdict: {3}VIOLATED at step 8 \(shortest trace, 8 states\)$/m);
    assert.match(r.stdout, /^ {4}7 {2}child1 calls funcA@P$/m);
  });

  it('a plug-in named by an absolute path is loaded from there, and the mail report names that path', () => {
    const plugin = resolve('specs/proposals/idle-lazy-fork.plugin.ts');
    const file = join(mkdtempSync(join(tmpdir(), 'klp-abs-plugin-')), 's1c.yaml');
    writeFileSync(file, readFileSync('specs/proposals/s1c-idle-lazy-fork.yaml', 'utf8').replace('./idle-lazy-fork.plugin.ts', plugin));
    const r = runCli(['check', file, '--format', 'mail']);
    assert.equal(r.code, 12, r.stderr);
    assert.match(r.stdout.replace(/\n {11}/g, ' '), new RegExp(`^Plug-ins: +fork=idle-lazy from ${plugin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  });

  it('rules --plugin lists the plug-in variant, marked, with its file', () => {
    const r = runCli(['rules', '--plugin', 'specs/proposals/through-immediates.plugin.ts']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {2}\+ through-immediates {2}the predecessor, and older versions while each one looked at was applied immediate \(fix \(a\), 2018\) \[specs\/proposals\/through-immediates\.plugin\.ts\]$/m);
  });

  it('compare sweeps a plug-in variant given with --plugin (S10: through-immediates does not cover force)', () => {
    const r = runCli(['compare', 'specs/livepatch/s10-force-then-patch.yaml', '--plugin', 'specs/proposals/through-immediates.plugin.ts', '--vary', 'stack-check=one-predecessor,all-predecessors,through-immediates']);
    assert.equal(r.code, 0, r.stderr);
    // Verdicts justified in test/livepatch/plugins.test.ts (S10 row).
    // transition-completes added under every assumption: T wakes, returns and switches at kernel exit; force ends P1's transition.
    assert.match(r.stdout, /^one-predecessor {5}VIOLATED \(9\) {7}completes\nall-predecessors {4}safe {15}completes\nthrough-immediates {2}VIOLATED \(9\) {7}completes$/m);
  });

  it('a missing plug-in (--plugin): one line, exit 2, no stack', () => {
    const r = runCli(['check', 'test/fixtures/plugins/fixtureScenario.yaml', '--plugin', 'nope.plugin.ts']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.ok(!hasStack(r.stderr));
    assert.equal(r.stderr.split('\n')[0], `error KLP401: plug-in nope.plugin.ts not found (looked for ${join(process.cwd(), 'nope.plugin.ts')})`);
  });

  it('a plug-in throwing during the run: exit 2, the variant and action named, nothing written under --out', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'klp-out-')), 'run');
    const r = runCli(['check', 'test/fixtures/plugins/fixtureScenario.yaml', '--rule', 'stack-check=throws', '--out', out]);
    assert.equal(r.code, 2);
    assert.ok(!hasStack(r.stderr));
    assert.equal(
      r.stderr.split('\n')[0],
      'test/fixtures/plugins/runtime.plugin.ts:13:15: error KLP407: plug-in variant stack-check=throws threw in stack-check (klp_check_stack_func on f, func stack [P1]): no idea about f, during klp_try_switch_task("T")',
    );
    assert.ok(!existsSync(out), 'no output directory');
  });
});
