// Bad input of every kind: one clear message (file:line:col where there is a
// file), exit 2, no stack trace, no half-written output.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { hasStack, runCli } from '../support/runCli.ts';

const dir = mkdtempSync(join(tmpdir(), 'klp-bad-'));
// Spec modules are ES modules; outside the project their folder says so.
writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function expectBad(args: readonly string[], pattern: RegExp): void {
  const r = runCli(args);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, pattern);
  assert.ok(!hasStack(r.stderr), r.stderr);
}

describe('bad input', () => {
  it('a spec file that does not exist', () => {
    expectBad(['check', 'specs/nope.ts'], /^specs\/nope\.ts: error KLP101: no spec file specs\/nope\.ts\n$/);
  });

  it('a module that does not export a spec', () => {
    const f = file('plain.ts', 'export default 42;\n');
    expectBad(['check', f], new RegExp(`^${f}: error KLP102: .* does not default-export a spec\\n`));
  });

  it('a module that throws while loading', () => {
    const f = file('throws.ts', 'throw new Error("boom");\nexport default 1;\n');
    expectBad(['check', f], new RegExp(`^${f}: error KLP103: spec threw while loading: boom\\n$`));
  });

  it('a module with a syntax error, with line and column', () => {
    const f = file('syntax.ts', 'const x = 1;\nconst y = ;\n');
    expectBad(['check', f], new RegExp(`^${f}:2:11: error KLP103: cannot compile spec: `));
  });

  it('an unknown constant, listing the known ones', () => {
    expectBad(['check', 'test/support/counterSpec.ts', '--const', 'M=3'], /^error KLP105: spec Counter has no constant M\n {2}its constants are: N\n$/);
  });

  it('a constant of the wrong type', () => {
    expectBad(['check', 'test/support/counterSpec.ts', '--const', 'N={a, b}'], /^error KLP106: constant N of spec Counter: expected an integer, got the set \{a, b\}\n$/);
  });

  it('an unknown invariant', () => {
    expectBad(['check', 'specs/examples/diehard.ts', '-i', 'Solved'], /^error KLP107: spec DieHard has no invariant Solved\n {2}its invariants are: TypeOK, NotSolved\n$/);
  });

  it('an unknown flag', () => {
    expectBad(['check', 'specs/examples/diehard.ts', '--max-state', '3'], /^error KLP301: Unknown argument: max-state/);
  });

  it('a missing spec argument: one message', () => {
    expectBad(['report'], /^error KLP301: Not enough non-option arguments: got 0, need at least 1\nRun klpcheck --help for usage\.\n$/);
  });

  it('a flag with a bad value', () => {
    expectBad(['check', 'specs/examples/diehard.ts', '--timeout', '-1'], /^error KLP301: --timeout takes a positive number\n$/);
    expectBad(['check', 'specs/examples/diehard.ts', '--format', 'xml'], /^error KLP301: --format takes one of text, tlc, json, mail, dot, html; got "xml"\n/);
  });

  it('a spec whose action throws names the action and the state', () => {
    expectBad(['check', 'test/fixtures/actionThrows.ts'], /^error KLP108: spec Bad threw while evaluating action Boom: no\n {2}in state \[n \|-> 1\]\n$/);
  });

  it('--out into a place where no directory can be made fails at once', () => {
    expectBad(['check', 'specs/examples/diehard.ts', '--out', '/proc/klpcheck-out/sub'], /^error KLP302: cannot write results to \/proc\/klpcheck-out\/sub: ENOENT/);
  });

  it('--out into a path that is a file writes nothing', () => {
    const blocker = file('blocker', 'x');
    expectBad(['check', 'specs/examples/diehard.ts', '--format', 'json', '--out', join(blocker, 'sub')], /error KLP302: cannot write results to/);
    assert.ok(!existsSync(join(blocker, 'sub')));
  });
});
