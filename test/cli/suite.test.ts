// `klpcheck suite DIR` (what `npm start` runs on specs/): every spec checked,
// one table at the end; a spec that cannot be checked makes the exit code 2.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../support/runCli.ts';

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
