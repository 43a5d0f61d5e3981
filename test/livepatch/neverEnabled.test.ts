// KLP505: a patch the scenario declares that no admin sequence of the file
// enables never leaves 'loaded', so every property about its transition is
// checked over nothing. The check is a cover goal on the explored states (the
// patch leaves 'loaded' in some state), worded as KLP505; a patch that only
// another variant enables is meant for that variant and is not reported.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { check } from '../../src/engine/bfs.ts';
import { instantiate } from '../../src/engine/spec.ts';
import { scenarioRun } from '../../src/cli/scenarioRun.ts';
import { parseScenario } from '../../src/spec/loadScenario.ts';
import { runCli } from '../support/runCli.ts';

/** P1 is enabled; P2 is declared with its own replacement of f, and `extra` is appended. */
function scenarioText(extra = ''): string {
  return [
    'title: a declared patch',
    'functions:',
    '  sys_read: [call f]',
    '  f: [sleep]',
    'patches:',
    '  - { name: P1, replaces: [f] }',
    '  - { name: P2, replaces: [f] }',
    'tasks:',
    '  - { name: T, kind: user, syscalls: [sys_read] }',
    'admin: [enable P1]',
    'check: [frames-agree-with-dispatch]',
    extra,
  ].join('\n');
}

const KLP505 = 'patch P2 is declared but never enabled: no admin step enables it, so no property says anything about its transition';

describe('KLP505: a declared patch that is never enabled', () => {
  it('warns KLP505, and only that, when no admin step of the file enables the patch', () => {
    const r = check(instantiate(scenarioRun(parseScenario(scenarioText(), 'never.yaml'), undefined).spec));
    assert.equal(r.verdict, 'ok');
    assert.deepEqual(r.warnings, [{ code: 'KLP505', message: KLP505 }]);
  });

  it('is silent when a variant enables the patch: the base run and the variant both', () => {
    const scenario = parseScenario(scenarioText('variants:\n  - { name: second, admin: [enable P2] }'), 'variant.yaml');
    for (const variant of [undefined, 'second']) {
      const r = check(instantiate(scenarioRun(scenario, variant).spec));
      assert.equal(r.verdict, 'ok', `variant ${variant}`);
      assert.deepEqual(r.warnings, [], `variant ${variant}`);
    }
  });

  it('is silent when the base admin enables it and a variant replaces the admin without it', () => {
    const text = scenarioText('variants:\n  - { name: first-only, admin: [enable P1] }').replace('admin: [enable P1]\n', 'admin: [enable P1, enable P2]\n');
    const r = check(instantiate(scenarioRun(parseScenario(text, 'base.yaml'), 'first-only').spec));
    assert.deepEqual(r.warnings, []);
  });

  it('an incomplete run words it "in the states explored"', () => {
    const r = check(instantiate(scenarioRun(parseScenario(scenarioText(), 'never.yaml'), undefined).spec), { maxStates: 3 });
    assert.equal(r.verdict, 'incomplete');
    assert.deepEqual(
      r.warnings.filter((w) => w.code === 'KLP505'),
      [{ code: 'KLP505', message: 'patch P2 is declared but never enabled in the states explored: no admin step enables it, so no property says anything about its transition' }],
    );
  });
});

describe('KLP505 on the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'klp505-'));
  const file = join(dir, 'never.yaml');
  writeFileSync(file, scenarioText());
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('text, JSON, --workers 2 and --strict', () => {
    const text = runCli(['check', file, '--no-timing']);
    assert.equal(text.code, 0);
    assert.ok(text.stdout.includes(`Warning KLP505: ${KLP505}\n`), text.stdout);
    const json = runCli(['check', file, '--format', 'json', '--strict']);
    assert.equal(json.code, 15);
    assert.deepEqual((JSON.parse(json.stdout) as { warnings: unknown }).warnings, [{ code: 'KLP505', message: KLP505 }]);
    const workers = runCli(['check', file, '--format', 'json', '--workers', '2']);
    assert.deepEqual((JSON.parse(workers.stdout) as { warnings: unknown }).warnings, [{ code: 'KLP505', message: KLP505 }]);
    assert.equal(runCli(['suite', file, '--strict']).code, 15);
  });
});
