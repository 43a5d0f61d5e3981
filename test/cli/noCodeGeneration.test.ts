// Record code compiled per type (src/engine/compiledCode.ts) is an
// optimisation: under `node --disallow-code-generation-from-strings` (no
// `new Function`) the engine keeps its generic code and finds the same
// states, and builds, reads, hashes and compares records exactly as
// Immutable does. TwoPhase's counts are TLC's (tlaplus/Examples, TCommit/TwoPhase with
// RM = {r1, r2, r3}): 288 distinct, 1,146 generated, depth 11.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../support/runCli.ts';

const BIN = fileURLToPath(new URL('../../bin/klpcheck.js', import.meta.url));

function checkWithoutCodeGeneration(args: readonly string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', BIN, 'check', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('without code generation from strings', () => {
  it('TwoPhase (sets of records): TLC counts, one thread and two searchers', () => {
    for (const extra of [[], ['--workers', '2']]) {
      const r = checkWithoutCodeGeneration(['specs/examples/twophase.ts', ...extra]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^1,146 states generated, 288 distinct states found, 0 states left on queue\.$/m, extra.join(' '));
      assert.match(r.stdout, /^The depth of the complete state graph search is 11\.$/m);
    }
  });

  it('the generic record code gives what Immutable gives (the record tests, run in such a process)', () => {
    const files = ['test/engine/recordFactory.test.ts', 'test/engine/recordFast.test.ts'];
    // A test run of its own, not a child of this one (whose reporter would take its output).
    const env = { ...process.env };
    delete env['NODE_TEST_CONTEXT'];
    const run = (flags: readonly string[]): { status: number | null; passed: number; stdout: string } => {
      const r = spawnSync(process.execPath, [...flags, '--import', './bin/tsx.js', '--test', '--test-reporter=tap', ...files], { cwd: ROOT, encoding: 'utf8', env, timeout: 120_000 });
      return { status: r.status, passed: Number(/^# pass (\d+)$/m.exec(r.stdout)?.[1] ?? -1), stdout: r.stdout + r.stderr };
    };
    const refused = run(['--disallow-code-generation-from-strings']);
    assert.equal(refused.status, 0, refused.stdout);
    assert.match(refused.stdout, /^# fail 0$/m);
    // Every record test that runs with compiled code (13 when this was written) passes without it too.
    const allowed = run([]);
    assert.equal(allowed.status, 0, allowed.stdout);
    assert.ok(allowed.passed >= 13, allowed.stdout);
    assert.equal(refused.passed, allowed.passed);
  });

  it('code generation is really refused in that process (the tests above run the fallback)', () => {
    const r = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', '-e', 'try { new Function("return 1"); console.log("allowed") } catch (e) { console.log(e.constructor.name) }'], { encoding: 'utf8' });
    assert.equal(r.stdout.trim(), 'EvalError');
  });
});
