// KLP506: fairness that no temporal property uses. A scenario's `assume:`
// (or a TypeScript spec's `fairness`) with no temporal property to check is
// accepted by TLC without a word; here the run says so, as a warning (it
// shows in every output and --strict makes it exit 15). Not raised when the
// properties exist but were not run: KLP504 says that.
import { Record } from 'immutable';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkWithLiveness } from '../../src/engine/liveness/checkLiveness.ts';
import { defineSpec, instantiate } from '../../src/engine/spec.ts';
import { scenarioRun } from '../../src/cli/scenarioRun.ts';
import { loadScenario, parseScenario } from '../../src/spec/loadScenario.ts';
import { runCli } from '../support/runCli.ts';

function scenarioText(assume: string): string {
  return [
    'title: fairness without liveness',
    'functions:',
    '  sys_read: [call f]',
    '  f: [sleep]',
    'patches:',
    '  - { name: P, replaces: [f] }',
    'tasks:',
    '  - { name: T, kind: user, syscalls: [sys_read] }',
    'admin: [enable P]',
    'check: [frames-agree-with-dispatch]',
    assume,
  ].join('\n');
}

const KLP506 = 'fairness is assumed (assume: tasks-run, admin-acts) but no temporal property is checked: the assumptions are not used';

function warnings(text: string): unknown {
  return checkWithLiveness(instantiate(scenarioRun(parseScenario(text, 'assume.yaml'), undefined).spec)).warnings;
}

describe('KLP506: assumptions no temporal property uses', () => {
  it('a scenario with assume: and only safety properties warns KLP506, naming the assumptions', () => {
    assert.deepEqual(warnings(scenarioText('assume: [tasks-run, admin-acts]')), [{ code: 'KLP506', message: KLP506 }]);
  });

  it('assume: [] (nothing assumed) and no assume: are silent', () => {
    assert.deepEqual(warnings(scenarioText('assume: []')), []);
    assert.deepEqual(warnings(scenarioText('')), []);
  });

  it('a scenario whose temporal property is checked under its assumptions is silent', () => {
    const r = checkWithLiveness(instantiate(scenarioRun(loadScenario('specs/livepatch/s6-liveness.yaml'), undefined).spec));
    assert.equal(r.verdict, 'ok');
    assert.deepEqual(r.warnings, []);
  });

  it('--no-liveness: KLP504 for the property, not KLP506 as well', () => {
    const r = runCli(['check', 'specs/livepatch/s6-liveness.yaml', '--no-liveness', '--format', 'json']);
    assert.deepEqual((JSON.parse(r.stdout) as { warnings: { code: string }[] }).warnings.map((w) => w.code), ['KLP504']);
  });

  it('a TypeScript spec with fairness and no temporal property names its conditions', () => {
    const N = Record({ n: 0 });
    const spec = defineSpec({
      name: 'Fair',
      constants: {},
      init: () => [N()],
      actions: { Step: (s: ReturnType<typeof N>) => (s.n < 2 ? s.set('n', s.n + 1) : undefined) },
      invariants: { Small: { description: 'n <= 2', holds: (s) => s.n <= 2 } },
      checkDeadlock: false,
      fairness: [{ kind: 'weak', action: 'Step' }],
    });
    assert.deepEqual(checkWithLiveness(instantiate(spec)).warnings, [
      { code: 'KLP506', message: 'fairness is assumed (WF(Step)) but no temporal property is checked: the assumptions are not used' },
    ]);
  });
});

describe('KLP506 on the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'klp506-'));
  const file = join(dir, 'assume.yaml');
  writeFileSync(file, scenarioText('assume: [tasks-run, admin-acts]'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('check (text, --strict) and simulate (JSON, --strict)', () => {
    const text = runCli(['check', file, '--no-timing']);
    assert.equal(text.code, 0);
    assert.ok(text.stdout.includes(`Warning KLP506: ${KLP506}\n`), text.stdout);
    assert.equal(runCli(['check', file, '--strict']).code, 15);
    const sim = runCli(['simulate', file, '--seed', '1', '--runs', '20', '--strict', '--format', 'json']);
    assert.equal(sim.code, 15);
    assert.deepEqual((JSON.parse(sim.stdout) as { warnings: unknown }).warnings, [{ code: 'KLP506', message: KLP506 }]);
  });
});
