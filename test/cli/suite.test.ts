// `klpcheck suite DIR` (what `npm start` runs on specs/): every spec checked,
// one table at the end; a spec that cannot be checked makes the exit code 2.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/runCli.ts';
import { runMain } from '../support/runMain.ts';

describe('klpcheck suite', () => {
  it('checks each spec and prints the table', () => {
    const r = runCli(['suite', 'test/fixtures/suite']);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /^test\/fixtures\/suite\/throws\.ts: error KLP108: spec Bad threw while evaluating action Boom: no$/m);
    const table = r.stdout.slice(r.stdout.lastIndexOf('Spec '));
    const rows = table.trimEnd().split('\n');
    assert.match(rows[0]!, /^Spec +Verdict +Distinct +Generated +Depth +Time$/);
    // Counter, N = 10: deadlock at 10 after 0,2,4,6,8 (hand count in test/support/counterSpec.ts).
    assert.match(rows[1]!, /^test\/fixtures\/suite\/counter\.ts +deadlock \(trace 6\) +11 +20 +6 +\S+s$/);
    assert.match(rows[2]!, /^test\/fixtures\/suite\/throws\.ts +error KLP108$/);
    assert.equal(rows.length, 3);
  });
});

describe('klpcheck suite: bad folders (found by the fuzz test)', () => {
  it('a missing folder, a file, an empty folder: one KLP301 line, exit 2, nothing on stdout', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'klp-suite-'));
    const cases: [string, string][] = [
      ['specs/nope', 'error KLP301: suite: cannot read specs/nope\n  no such file or folder\n'],
      ['/dev/null', 'error KLP301: suite takes folders; /dev/null is not one\n  check one spec with: klpcheck check /dev/null\n'],
      [empty, `error KLP301: no spec file (.ts, .js, .mjs, .yaml, .yml) under ${empty}\n  a suite that checks nothing proves nothing\n`],
    ];
    for (const [dir, err] of cases) {
      const r = await runMain(['suite', dir]);
      assert.deepEqual({ code: r.code, out: r.out, err: r.err }, { code: 2, out: '', err }, dir);
    }
  });
});
