// --help offers only the options a command uses: `report` always writes the
// mail report (no --format, --graph, --diff, --timing); `compare` has no mail
// format; `suite` has text, json and junit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../support/runCli.ts';

describe('--help of each command', () => {
  it('report offers no option the mail report ignores', () => {
    const r = runCli(['report', '--help']);
    assert.equal(r.code, 0);
    const offers = (o: string): boolean => new RegExp(`^ +(-\\w, )?${o} `, 'm').test(r.stdout);
    for (const o of ['--format', '--graph', '--diff', '--timing']) assert.ok(!offers(o), `report --help offers ${o}`);
    for (const o of ['--variant', '--rule', '--out']) assert.ok(offers(o), `report --help lacks ${o}`);
  });

  it('report refuses --format rather than ignoring it', () => {
    const r = runCli(['report', 'specs/livepatch/s2-immediate.yaml', '--format', 'tlc']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error KLP301: Unknown argument: format$/m);
  });

  it('check and report offer the frontier options; suite does not', () => {
    for (const command of ['check', 'report']) {
      const help = runCli([command, '--help']).stdout;
      for (const o of ['--frontier-dir', '--frontier-memory']) assert.match(help, new RegExp(`^ +${o} `, 'm'), `${command} --help lacks ${o}`);
    }
    assert.doesNotMatch(runCli(['suite', '--help']).stdout, /--frontier-/);
  });

  it('check offers tlc; compare no longer offers mail; suite offers json and junit', () => {
    assert.match(runCli(['check', '--help']).stdout, /"text", "tlc", "json", "mail", "dot", "html"/);
    assert.match(runCli(['compare', '--help']).stdout, /\[choices: "text", "markdown", "json"\]/);
    assert.match(runCli(['suite', '--help']).stdout, /\[choices: "text", "json", "junit"\]/);
  });
});
