// `check --workers N` through the command line: the same output and exit
// code as one thread (narrated scenario, TLC text of a TypeScript spec, a
// scenario with plug-ins, which each worker loads itself), and a bad value is
// one KLP301 line, exit 2. `--por` runs on the workers too.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../support/runCli.ts';
import { runMain } from '../support/runMain.ts';

async function sameOutput(argv: readonly string[]): Promise<void> {
  const one = await runMain([...argv, '--no-timing']);
  const two = await runMain([...argv, '--no-timing', '--workers', '2']);
  assert.deepEqual(two, { ...one, ms: two.ms }, argv.join(' '));
}

describe('check --workers', () => {
  it('a violated scenario: the same narrated trace and exit code 12', async () => {
    await sameOutput(['check', 'specs/livepatch/s2-immediate.yaml']);
    const r = await runMain(['check', 'specs/livepatch/s2-immediate.yaml', '--workers', '3', '--no-timing']);
    assert.equal(r.code, 12);
  });

  it('a TypeScript spec in TLC format, with coverage; a variant; --symmetry', async () => {
    await sameOutput(['check', 'specs/examples/diehard.ts', '--format', 'tlc', '--coverage']);
    await sameOutput(['check', 'specs/examples/twophase.ts', '--format', 'tlc', '--coverage']);
    await sameOutput(['check', 'specs/livepatch/s1-fork-matrix.yaml', '--variant', 'goal/copy']);
    await sameOutput(['check', 'specs/livepatch/s8-reverse.yaml', '--symmetry', '--format', 'tlc']);
  });

  it('a scenario with plug-ins and a --plugin rule: each worker loads them', async () => {
    await sameOutput(['check', 'specs/proposals/s1c-idle-lazy-fork.yaml', '--format', 'tlc']);
    await sameOutput(['check', 'specs/livepatch/s10-force-then-patch.yaml', '--plugin', 'specs/proposals/through-immediates.plugin.ts', '--rule', 'stack-check=through-immediates', '--format', 'tlc']);
  });

  it('through bin/klpcheck.js: the workers register tsx and the spec-import hooks themselves', () => {
    const one = runCli(['check', 'specs/examples/diehard.ts', '--no-timing']);
    const two = runCli(['check', 'specs/examples/diehard.ts', '--no-timing', '--workers', '2']);
    assert.equal(two.code, 12);
    assert.equal(two.stdout, one.stdout);
    assert.equal(two.stderr, '');
  });

  it('--workers 1 is today\'s search; the mail report reproduces --workers', async () => {
    const one = await runMain(['check', 'specs/livepatch/s3-preempted.yaml', '--no-timing']);
    const w1 = await runMain(['check', 'specs/livepatch/s3-preempted.yaml', '--no-timing', '--workers', '1']);
    assert.deepEqual(w1, { ...one, ms: w1.ms });
    const r = await runMain(['check', 'specs/livepatch/s2-immediate.yaml', '--workers', '2', '--format', 'mail']);
    assert.match(r.out, /--workers 2 --format mail/);
  });

  it('a bad --workers is one KLP301 line, exit 2', async () => {
    for (const [v, got] of [['0', '0'], ['-2', '-2'], ['1.5', '1.5'], ['two', 'no number']] as const) {
      const r = await runMain(['check', 'specs/examples/diehard.ts', '--workers', v]);
      assert.deepEqual({ code: r.code, out: r.out, err: r.err }, { code: 2, out: '', err: `error KLP301: --workers takes a whole number of worker threads, 1 or more (e.g. --workers 2); got ${got}\n` }, v);
    }
    const twice = await runMain(['check', 'specs/examples/diehard.ts', '--workers', '2', '--workers', '3']);
    assert.deepEqual({ code: twice.code, err: twice.err }, { code: 2, err: 'error KLP301: --workers is given 2 times; give it once\n' });
  });

  it('--por with --workers: the same reduced search (a violation and a safe scenario)', async () => {
    await sameOutput(['check', 'specs/livepatch/s2-immediate.yaml', '--por']);
    await sameOutput(['check', 'specs/livepatch/s7-atomic-replace.yaml', '--por', '--format', 'tlc', '--coverage']);
  });

  it('--workers above 64 is refused before any thread starts (each worker is a V8 instance)', async () => {
    const r = await runMain(['check', 'specs/examples/diehard.ts', '--workers', '99999']);
    assert.equal(r.code, 2);
    assert.match(r.err, /^error KLP301: --workers takes at most 64 worker threads; got 99999\n/);
  });

  it('check --help offers --workers', () => {
    assert.match(runCli(['check', '--help']).stdout, /^ +--workers +Worker threads/m);
  });
});
