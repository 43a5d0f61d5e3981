// Vacuity on the command line: warnings in text and JSON, --strict's exit
// code 15 (docs/exit-codes.md), --coverage, and suite counting a vacuous
// "safe" as not met. Fixtures: test/fixtures/vacuity (each says why it warns).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../support/runCli.ts';

const UNCHECKED = 'test/fixtures/vacuity/unchecked.yaml';
const KLP501 = 'Warning KLP501: no property is checked (no invariant, and deadlock checking is off): "no error" says nothing';

describe('vacuity warnings and --strict', () => {
  it('text: the verdict sentence says the run was vacuous, the warning follows it; exit 0 without --strict', () => {
    const r = runCli(['check', UNCHECKED, '--no-timing', '--format', 'text']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Model checking completed\. No error has been found, but 1 check was vacuous \(see warnings\)\.\nWarning KLP501: /m);
    assert.ok(r.stdout.includes(`${KLP501}\n`));
    assert.doesNotMatch(r.stdout, /^Model checking completed\. No error has been found\.$/m);
  });

  it('--strict: exit 15 for a vacuous run, on check and report', () => {
    assert.equal(runCli(['check', UNCHECKED, '--strict']).code, 15);
    assert.equal(runCli(['report', UNCHECKED, '--strict']).code, 15);
    assert.equal(runCli(['check', 'test/fixtures/vacuity/premise-never.yaml', '--strict', '--format', 'text']).code, 15);
  });

  it('--strict: a sound safe run stays 0, a violation keeps its own code', () => {
    assert.equal(runCli(['check', 'specs/livepatch/s8-reverse.yaml', '--strict']).code, 0);
    // S6 under force: frames-agree-with-dispatch is violated (exit 12).
    assert.equal(runCli(['check', 'specs/livepatch/s6-force.yaml', '--strict']).code, 12);
  });

  it('JSON: the warnings array, coverage, and the exit code --strict gives', () => {
    const r = runCli(['check', 'test/fixtures/vacuity/unreachable-step.yaml', '--format', 'json', '--strict']);
    assert.equal(r.code, 15);
    const j = JSON.parse(r.stdout) as { warnings: unknown; exitCode: number };
    assert.deepEqual(j.warnings, [
      { code: 'KLP502', message: 'admin step 2 (enable P2) is never reached' },
      { code: 'KLP502', message: "the completion of P1's transition is never reached" },
      { code: 'KLP502', message: "the start of P2's transition is never reached" },
      { code: 'KLP502', message: "the completion of P2's transition is never reached" },
    ]);
    assert.equal(j.exitCode, 15);
    // Counter, N = 10, no deadlock check: Step computes 19 successors, 10 of them new
    // (hand count in test/support/counterSpec.ts); no invariant and no deadlock check: KLP501.
    const c = JSON.parse(runCli(['check', 'test/support/counterSpec.ts', '--no-deadlock', '--format', 'json']).stdout) as { coverage: unknown; warnings: { code: string }[] };
    assert.deepEqual(c.coverage, [{ action: 'Step', generated: 19, distinct: 10 }]);
    assert.deepEqual(c.warnings.map((w) => w.code), ['KLP501']);
  });

  it('--coverage prints TLC\'s block, one <Action>: distinct:generated line per action', () => {
    // Counter, N = 10, no deadlock check: Step computes 19 successors, 10 of them new
    // (hand count in test/support/counterSpec.ts).
    const r = runCli(['check', 'test/support/counterSpec.ts', '--no-deadlock', '--coverage', '--no-timing']);
    assert.match(r.stdout, /^The coverage statistics:\n<Step>: 10:19\nEnd of statistics\.$/m);
  });
});

describe('suite and vacuity', () => {
  it('counts a scenario expected safe that warns as NOT MET, exit 1', () => {
    const r = runCli(['suite', 'test/fixtures/vacuity']);
    assert.equal(r.code, 1);
    assert.ok(r.stdout.includes(`  ${KLP501}\n`));
    const rows = r.stdout.split('\n').filter((l) => /\.yaml /.test(l));
    assert.equal(rows.length, 4);
    // unreachable-step.yaml has four warnings (its step 2 and what depends on it), the others one.
    for (const row of rows) assert.match(row, /safe \(vacuous: (1 warning|4 warnings)\) .*NOT MET: expected safe, got safe \(vacuous: \1\)$/);
    assert.equal(rows.filter((row) => row.startsWith("unreachable-step.yaml")).length, 1);
    assert.match(r.stdout, /^4 run\(s\), 0 as expected, 4 did not give the verdict their scenario expects, 4 with warnings \(something was not really checked\)\.$/m);
  });
});

describe('suite --strict', () => {
  // test/fixtures/strict/no-expectation.yaml checks nothing and expects nothing:
  // its run warns (KLP501) without being "not met".
  it('exits 15 after the table when a run warns, in text and JSON; 0 without --strict', () => {
    const plain = runCli(['suite', 'test/fixtures/strict']);
    assert.equal(plain.code, 0);
    assert.match(plain.stdout, /^1 run\(s\), 0 as expected, 1 with warnings \(something was not really checked\)\.$/m);
    const strict = runCli(['suite', 'test/fixtures/strict', '--strict']);
    assert.equal(strict.code, 15);
    assert.ok(strict.stdout.includes(`  ${KLP501}\n`));
    assert.ok(strict.stdout.endsWith('\n--strict: 1 run(s) with warnings: exit 15.\n'));
    const json = runCli(['suite', 'test/fixtures/strict', '--strict', '--format', 'json']);
    assert.equal(json.code, 15);
    const j = JSON.parse(json.stdout) as { summary: { withWarnings: number }; runs: { warnings: { code: string }[] }[] };
    assert.equal(j.summary.withWarnings, 1);
    assert.deepEqual(j.runs[0]!.warnings.map((w) => w.code), ['KLP501']);
  });

  it('a suite without warnings stays 0; an unmet expectation keeps exit 1 over 15', () => {
    assert.equal(runCli(['suite', 'specs/livepatch/s8-reverse.yaml', '--strict']).code, 0);
    assert.equal(runCli(['suite', 'test/fixtures/vacuity', 'test/fixtures/strict', '--strict']).code, 1);
  });
});

describe('simulate --strict', () => {
  it('no property checked: KLP501 in text and JSON; exit 14, 15 under --strict', () => {
    const r = runCli(['simulate', UNCHECKED, '--seed', '1', '--runs', '5']);
    assert.equal(r.code, 14);
    assert.match(r.stdout, new RegExp(`^No violation found in 5 random behaviours of up to 100 steps\\.\\n${KLP501.replace(/[()".]/g, '\\$&')}\\n`, 'm'));
    assert.equal(runCli(['simulate', UNCHECKED, '--seed', '1', '--runs', '5', '--strict']).code, 15);
    const j = runCli(['simulate', UNCHECKED, '--seed', '1', '--runs', '5', '--strict', '--format', 'json']);
    assert.equal(j.code, 15);
    const parsed = JSON.parse(j.stdout) as { exitCode: number; warnings: unknown };
    assert.equal(parsed.exitCode, 15);
    assert.deepEqual(parsed.warnings, [{ code: 'KLP501', message: 'no property is checked (no invariant, and deadlock checking is off): "no error" says nothing' }]);
  });

  it('a temporal property is never checked by a simulation: KLP504', () => {
    const r = runCli(['simulate', 'specs/livepatch/s6-liveness.yaml', '--seed', '1', '--runs', '20', '--strict']);
    assert.equal(r.code, 15);
    assert.ok(r.stdout.includes('Warning KLP504: temporal property transition-completes was not checked: a simulation checks invariants only (klpcheck check checks it)\n'));
  });

  it('a sampled run that reached every goal stays 14 under --strict; a violation keeps 12', () => {
    assert.equal(runCli(['simulate', 'specs/livepatch/s8-reverse.yaml', '--seed', '1', '--runs', '50', '--strict']).code, 14);
    assert.equal(runCli(['simulate', 'specs/livepatch/s6-force.yaml', '--seed', '1', '--runs', '200', '--strict']).code, 12);
  });
});
