// What a run did not check is said, never hidden behind "no error" (issue 7,
// found by a new-user audit): a temporal property skipped by --no-liveness or
// left out by --property is a KLP504 warning (exit 15 under --strict); a
// symmetry-reduced run says so in its header, JSON and mail; a simulated
// trace is never called the shortest.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runMain } from '../support/runMain.ts';

const S6 = 'specs/livepatch/s6-liveness.yaml';

describe('nothing declared is silently left unchecked', () => {
  it('--no-liveness: a KLP504 warning per temporal property, the header says so, --strict exits 15', async () => {
    const r = await runMain(['check', S6, '--variant', 'no-signal', '--no-liveness', '--no-timing']);
    // Without the flag this run is a liveness violation (exit 13); with it, "no error" must not stand alone.
    assert.equal(r.code, 0);
    assert.match(r.out, /^Temporal: transition-completes \(not checked: the liveness pass did not run\)$/m);
    assert.match(r.out, /^Model checking completed\. No error has been found, but 1 check was vacuous \(see warnings\)\.$/m);
    assert.match(r.out, /^Warning KLP504: temporal property transition-completes was not checked: the liveness pass was turned off \(--no-liveness\)$/m);
    const strict = await runMain(['check', S6, '--variant', 'no-signal', '--no-liveness', '--strict', '--format', 'json']);
    assert.equal(strict.code, 15);
    const json = JSON.parse(strict.out) as { warnings: { code: string }[] };
    assert.deepEqual(json.warnings.map((w) => w.code), ['KLP504']);
  });

  it('--property: the temporal properties it leaves out are KLP504 warnings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'klp-notchecked-'));
    const file = join(dir, 'two.yaml');
    writeFileSync(
      file,
      [
        'title: two temporal properties',
        'functions:',
        '  sys_read: [call f]',
        '  f: [sleep]',
        'patches:',
        '  - { name: P, replaces: [f] }',
        'tasks:',
        '  - { name: T, kind: user, syscalls: [sys_read] }',
        'admin:',
        '  sequence: [enable P]',
        'check: [transition-completes, unpatching-completes, transition-bookkeeping]',
        'assume: [periodic-worker, tasks-run, wake-up, admin-acts]',
        '',
      ].join('\n'),
    );
    const r = await runMain(['check', file, '-p', 'transition-completes', '--format', 'json']);
    assert.equal(r.code, 0);
    const json = JSON.parse(r.out) as { warnings: { code: string; message: string }[] };
    assert.deepEqual(json.warnings, [{ code: 'KLP504', message: 'temporal property unpatching-completes was not checked: the property selection (--property) left it out' }]);
  });

  it('--symmetry is named in the header, the JSON summary and the mail report', async () => {
    const text = await runMain(['check', 'specs/livepatch/s8-reverse.yaml', '--symmetry', '--no-timing']);
    assert.match(text.out, /^Symmetry reduction: on \(counts are of classes of interchangeable tasks\)$/m);
    const json = JSON.parse((await runMain(['check', 'specs/livepatch/s8-reverse.yaml', '--symmetry', '--format', 'json'])).out) as { symmetry?: boolean };
    assert.equal(json.symmetry, true);
    const mail = await runMain(['check', 'specs/livepatch/s8-reverse.yaml', '--symmetry', '--format', 'mail']);
    assert.match(mail.out, /every reachable\s+state up to symmetry/);
    const plain = JSON.parse((await runMain(['check', 'specs/livepatch/s8-reverse.yaml', '--format', 'json'])).out) as { symmetry?: boolean };
    assert.equal(plain.symmetry, undefined);
  });

  it('a simulated trace in the mail report is a random run, not "the shortest"', async () => {
    const r = await runMain(['simulate', 'specs/livepatch/s7-atomic-replace.yaml', '--variant', 'force', '--seed', '1', '--depth', '40', '--runs', '300', '--format', 'mail']);
    assert.equal(r.code, 12);
    assert.match(r.out, /^Verdict: +VIOLATED at step \d+ \(a random run, not necessarily the\n +shortest, \d+ states\)$/m);
    assert.match(r.out, /^Explored: +random simulation \(seed 1, 300 runs at most\);/m);
    assert.doesNotMatch(r.out, /shortest trace,/);
  });
});
