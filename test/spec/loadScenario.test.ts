// The scenario loader (src/spec): every way a file can be wrong gives one
// KlpError with the right code, message and line:col; a full scenario loads
// into the expected structure; spec.schema.json agrees with the code.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isKlpError, type ErrorCode } from '../../src/engine/errors.ts';
import { PROPERTIES } from '../../src/livepatch/properties.ts';
import { TEMPORAL_PROPERTIES } from '../../src/livepatch/liveness.ts';
import { RULE_FAMILIES } from '../../src/livepatch/rules/index.ts';
import type { Scenario } from '../../src/livepatch/scenario.ts';
import { LIMITS } from '../../src/spec/limits.ts';
import { KEYS, loadScenario, parseScenario } from '../../src/spec/loadScenario.ts';
import { ADMIN_PATTERN, ANYTIME, STEP_HINTS, STEP_PATTERN, parseStep } from '../../src/spec/steps.ts';

/** Lines of a YAML file (line N of the file is argument N). */
const y = (...lines: string[]): string => `${lines.join('\n')}\n`;
const PROPERTY_HINT = `properties: ${PROPERTIES.map((p) => `${p.name} (${p.alias})`).join(', ')}`;
const TEMPORAL_HINT = `temporal properties: ${TEMPORAL_PROPERTIES.map((p) => `${p.name} (${p.alias})`).join(', ')}`;

function rejects(text: string, code: ErrorCode, message: string, line: number, col: number, hints?: readonly string[]): void {
  assert.throws(
    () => parseScenario(text, 's.yaml'),
    (e: unknown) => {
      assert.ok(isKlpError(e), String(e));
      assert.equal(e.code, code);
      assert.equal(e.message, message);
      assert.deepEqual(e.location, { file: 's.yaml', line, col });
      if (hints !== undefined) assert.deepEqual(e.hints, hints);
      return true;
    },
  );
}

describe('scenario loader: rejections', () => {
  it('KLP201 malformed YAML, at the parser position', () => {
    rejects(y('title: t', 'title: u'), 'KLP201', 'Map keys must be unique', 2, 1, ['title: u', '^']);
    rejects(y('title: t: u'), 'KLP201', 'Nested mappings are not allowed in compact mappings', 1, 8);
  });

  it('KLP202 an empty file', () => {
    rejects('# nothing\n', 'KLP202', 'the file holds no scenario (a map with title, functions, tasks and check)', 1, 1);
  });

  it('KLP202 unknown key at the top level, with the allowed keys', () => {
    rejects(y('title: t', 'functions: {}', 'tasks: []', 'check: []', 'titel: x'), 'KLP202', 'unknown key "titel" in the scenario', 5, 1, [
      'allowed keys: title, plugins, rules, functions, patches, tasks, admin, check, assume, expect, variants',
    ]);
  });

  it('KLP202 unknown key in a nested map', () => {
    const text = y('title: t', 'functions: { f: [] }', 'patches:', '  - name: P', '    replaces: [f]', '    immediat: true', 'tasks: []', 'check: []');
    rejects(text, 'KLP202', 'unknown key "immediat" in patches[0]', 6, 5, ['allowed keys: name, replaces, immediate, immediate-functions, replace, formats, accepts']);
  });

  it('KLP202 wrong types', () => {
    rejects(y('title: t', 'functions: [f]', 'tasks: []', 'check: []'), 'KLP202', 'functions must be a map, not a list', 2, 12);
    const exits = y('title: t', 'functions: { f: [] }', 'tasks:', '  - { name: a, kind: user, syscalls: [f], exits: yes }', 'check: []');
    rejects(exits, 'KLP202', 'tasks[0].exits must be true or false, not the string "yes"', 4, 50);
    rejects(y('title: [t]', 'functions: {}', 'tasks: []', 'check: []'), 'KLP202', 'title must be a string, not a list', 1, 8);
    rejects(y('title: t', 'functions:', '  f: call g', 'tasks: []', 'check: []'), 'KLP202', 'functions.f must be a list of steps or a map with body and frameless', 3, 6);
    const len = y('title: t', 'functions: {}', 'tasks: []', 'check: [I1]', 'expect: { verdict: violated, trace-length: 0 }');
    rejects(len, 'KLP202', 'expect.trace-length must be an integer >= 1, not the number 0', 5, 44);
    const rep = y('title: t', 'functions: { f: [] }', 'patches:', '  - name: P', '    replaces:', '      f: call g', 'tasks: []', 'check: []');
    rejects(rep, 'KLP202', 'patches[0].replaces.f must be a list of steps, or ~ for the original body', 6, 10);
  });

  it('KLP202 missing required key, at the enclosing map', () => {
    rejects(y('title: t', 'functions: {}', 'check: []'), 'KLP202', 'the scenario lacks the required key "tasks"', 1, 1);
    rejects(y('title: t', 'functions: {}', 'patches:', '  - { name: P }', 'tasks: []', 'check: []'), 'KLP202', 'patches[0] lacks the required key "replaces"', 4, 5);
  });

  it('KLP203 unknown rule family', () => {
    rejects(y('title: t', 'rules: { forks: goal }', 'functions: {}', 'tasks: []', 'check: []'), 'KLP203', 'unknown rule family "forks"', 2, 10, [
      `rule families: ${RULE_FAMILIES.map((f) => f.name).join(', ')}`,
    ]);
  });

  it('KLP203 unknown rule variant, top level and in a variant', () => {
    rejects(y('title: t', 'rules: { fork: goal2 }', 'functions: {}', 'tasks: []', 'check: []'), 'KLP203', 'unknown fork rule "goal2"', 2, 16, [
      'valid fork rules: goal, initial, copy-parent, copy-parent-nonatomic',
    ]);
    const v = y('title: t', 'functions: {}', 'tasks: []', 'check: []', 'variants:', '  - { name: v, rules: { unwinder: fp } }');
    rejects(v, 'KLP203', 'unknown unwinder rule "fp"', 6, 35);
  });

  it('KLP204 unknown property in check', () => {
    rejects(y('title: t', 'functions: {}', 'tasks: []', 'check: [I1, frames-agree]'), 'KLP204', 'unknown property "frames-agree"', 4, 13, [PROPERTY_HINT, TEMPORAL_HINT]);
  });

  it('KLP204 unknown property in expect.property, or one not checked', () => {
    const head = ['title: t', 'functions: {}', 'tasks: []', 'check: [I1]'];
    rejects(y(...head, 'expect: { verdict: violated, property: PS2 }'), 'KLP204', 'unknown property "PS2"', 5, 40, [PROPERTY_HINT, TEMPORAL_HINT]);
    rejects(y(...head, 'expect: { verdict: violated, property: PS }'), 'KLP204', 'expect.property "PS" is not among the properties in check', 5, 40, [
      'check: frames-agree-with-dispatch',
    ]);
  });

  it('KLP204 call to an undeclared function', () => {
    rejects(y('title: t', 'functions:', '  f: [call g]', 'tasks: []', 'check: []'), 'KLP204', 'call to undeclared function "g"', 3, 7);
    rejects(y('title: t', 'functions:', '  f:', '    - x = call h', 'tasks: []', 'check: []'), 'KLP204', 'call to undeclared function "h"', 4, 7);
  });

  it('KLP204 call g(x) with x not bound earlier in the body', () => {
    const text = y('title: t', 'functions:', '  f: [call g(x), x = call g]', '  g: []', 'tasks: []', 'check: []');
    rejects(text, 'KLP204', '"x" is not bound earlier in the body of f', 3, 7, ['bind it first: x = call f']);
  });

  it('KLP204 a system call that is not a declared function', () => {
    const text = y('title: t', 'functions: { f: [] }', 'tasks:', '  - { name: a, kind: user, syscalls: [f, sys_read] }', 'check: []');
    rejects(text, 'KLP204', 'task a enters undeclared function "sys_read"', 4, 42);
  });

  it('KLP204 a patch replacing an undeclared function (list and map forms)', () => {
    const head = ['title: t', 'functions: { f: [] }', 'patches:', '  - name: P'];
    rejects(y(...head, '    replaces: [f, h]', 'tasks: []', 'check: []'), 'KLP204', 'patch P replaces undeclared function "h"', 5, 19);
    rejects(y(...head, '    replaces:', '      f: ~', '      h: [call f]', 'tasks: []', 'check: []'), 'KLP204', 'patch P replaces undeclared function "h"', 7, 7);
  });

  it('KLP204 immediate-functions naming a function the patch does not replace', () => {
    const text = y('title: t', 'functions: { f: [], g: [] }', 'patches:', '  - name: P', '    replaces: [f]', '    immediate-functions: [g]', 'tasks: []', 'check: []');
    rejects(text, 'KLP204', 'immediate-functions of patch P names "g", which P does not replace', 6, 27, ['P replaces: f']);
  });

  it('KLP204 an admin step naming an undeclared patch', () => {
    const text = y('title: t', 'functions: { f: [] }', 'patches: [{ name: P, replaces: [f] }]', 'tasks: []', 'admin: [enable P, disable Q]', 'check: []');
    rejects(text, 'KLP204', 'disable of undeclared patch "Q"', 5, 19, ['declared patches: P']);
  });

  it('KLP205 direct recursion, at the call that closes the cycle', () => {
    rejects(y('title: t', 'functions:', '  f: [call g, call f]', '  g: []', 'tasks: []', 'check: []'), 'KLP205', 'recursive call: f -> f', 3, 15);
  });

  it('KLP205 indirect recursion through a new body in a patch', () => {
    const text = y('title: t', 'functions:', '  f: [call g]', '  g: [call h]', '  h: [sleep]', 'patches:', '  - name: P', '    replaces:', '      h: [call f]', 'tasks: []', 'check: []');
    rejects(text, 'KLP205', 'recursive call: f -> g -> h -> f', 9, 11);
  });

  it('KLP202 duplicate task name', () => {
    const text = y('title: t', 'functions: {}', 'tasks:', '  - { name: a, kind: idle }', '  - { name: a, kind: idle }', 'check: []');
    rejects(text, 'KLP202', 'duplicate task name "a"', 5, 13, ['first declared at line 4']);
  });

  it('KLP202 duplicate patch name', () => {
    const text = y('title: t', 'functions: { f: [] }', 'patches:', '  - name: P', '    replaces: [f]', '  - name: P', '    replaces: [f]', 'tasks: []', 'check: []');
    rejects(text, 'KLP202', 'duplicate patch name "P"', 6, 11, ['first declared at line 4']);
  });

  it('KLP202 duplicate variant name', () => {
    rejects(y('title: t', 'functions: {}', 'tasks: []', 'check: []', 'variants: [{ name: v }, { name: v }]'), 'KLP202', 'duplicate variant name "v"', 5, 33);
  });

  it('KLP202 an anytime entry other than reverse, force, signal', () => {
    const text = y('title: t', 'functions: {}', 'tasks: []', 'admin:', '  anytime: [signal, kill]', 'check: []');
    rejects(text, 'KLP202', '"kill" is not an anytime action', 5, 21, ['anytime actions: reverse, force, signal']);
  });

  it('KLP202 a sequence step that is not enable P, disable P, reverse or force', () => {
    const text = y('title: t', 'functions: { f: [] }', 'patches: [{ name: P, replaces: [f] }]', 'tasks: []', 'admin: [enable P, patch P]', 'check: []');
    rejects(text, 'KLP202', '"patch P" is not an administrator step', 5, 19, ['a sequence step is one of: enable P | disable P | reverse | force']);
  });

  it('KLP202 a body step that is none of the forms, with the forms as hint', () => {
    rejects(y('title: t', 'functions:', '  f: [sleep forever]', 'tasks: []', 'check: []'), 'KLP202', '"sleep forever" is not a step (in the body of f)', 3, 7, STEP_HINTS);
    rejects(y('title: t', 'functions:', '  f: [{ call: g }]', 'tasks: []', 'check: []'), 'KLP202', 'a step of the body of f must be a string, not a map', 3, 7, STEP_HINTS);
  });

  it('KLP202 a function name that is not an identifier', () => {
    rejects(y('title: t', 'functions:', '  1f: []', 'tasks: []', 'check: []'), 'KLP202', 'function name "1f" is not a valid name', 3, 3);
    rejects(y('title: t', 'functions:', '  1: []', 'tasks: []', 'check: []'), 'KLP202', 'the keys of functions must be names', 3, 3);
  });

  it('KLP202 max-forked: at most one entry, an integer >= 0', () => {
    const two = y('title: t', 'functions: {}', 'tasks:', '  - { max-forked: 1 }', '  - { name: a, kind: idle }', '  - { max-forked: 2 }', 'check: []');
    rejects(two, 'KLP202', 'only one max-forked entry is allowed in tasks', 6, 5);
    rejects(y('title: t', 'functions: {}', 'tasks:', '  - { max-forked: -1 }', 'check: []'), 'KLP202', 'max-forked must be an integer >= 0, not the number -1', 4, 19);
  });

  it('KLP202 task keys that do not fit the kind, a bad kind, an empty kthread loop', () => {
    const head = ['title: t', 'functions: {}', 'tasks:'];
    rejects(y(...head, '  - { name: k, kind: kthread, loop: [sleep], exits: true }', 'check: []'), 'KLP202', 'unknown key "exits" in tasks[0]', 4, 46, [
      'allowed keys for a kthread task: name, kind, loop',
    ]);
    rejects(y(...head, '  - { name: a, knd: user }', 'check: []'), 'KLP202', 'unknown key "knd" in tasks[0]', 4, 16);
    rejects(y(...head, '  - { name: a, kind: daemon }', 'check: []'), 'KLP202', 'tasks[0].kind must be one of user, kthread, idle, not "daemon"', 4, 22);
    rejects(y(...head, '  - { name: k, kind: kthread, loop: [] }', 'check: []'), 'KLP202', 'the loop of kthread k must have at least one step', 4, 37);
    rejects(y(...head, '  - { name: k, kind: kthread }', 'check: []'), 'KLP202', 'tasks[0] lacks the required key "loop"', 4, 5);
  });

  it('KLP202 a declared task named like a forked one', () => {
    const text = y('title: t', 'functions: {}', 'tasks:', '  - { name: child1, kind: idle }', '  - { max-forked: 1 }', 'check: []');
    rejects(text, 'KLP202', 'task name "child1" is the name of a forked task (max-forked: 1)', 4, 13);
  });
});

const FULL = y(
  'title: everything at once',
  'rules: { fork: copy-parent-nonatomic, unwinder: naive }',
  'functions:',
  '  sys_a: [x = call helper, call use(x), sleep uninterruptible]',
  '  helper: &hbody [sleep]',
  '  use: []',
  '  entry_asm: { body: [call helper, fork], frameless: true }',
  'patches:',
  '  - name: P1',
  '    replaces: [helper]',
  '    immediate: true',
  '    immediate-functions: [helper]',
  '  - name: P2',
  '    replaces: { use: [sleep interruptible], helper: ~ }',
  '    replace: true',
  'tasks:',
  '  - { name: u, kind: user, syscalls: [sys_a, entry_asm], exits: true }',
  '  - { max-forked: 2 }',
  '  - { name: k, kind: kthread, loop: *hbody }',
  '  - { name: idle0, kind: idle }',
  'admin:',
  '  sequence: [enable P1, enable P2, disable P2, reverse, force]',
  '  anytime: [signal, reverse]',
  'check: [I1, completion-safety]',
  'expect: { verdict: violated, property: I1, trace-length: 7 }',
  'variants:',
  '  - name: with orc',
  '    rules: { unwinder: orc }',
  '    expect: { verdict: safe }',
  '  - { name: only P1, admin: [enable P1] }',
);

describe('scenario loader: valid files', () => {
  it('a full scenario loads into the expected structure', () => {
    const helper = [{ kind: 'sleep', how: 'interruptible' }] as const;
    const expected: Scenario = {
      title: 'everything at once',
      file: 's.yaml',
      rules: { fork: 'copy-parent-nonatomic', unwinder: 'naive' },
      functions: new Map([
        ['sys_a', { name: 'sys_a', frameless: false, body: [{ kind: 'call', fn: 'helper', bind: 'x' }, { kind: 'call', fn: 'use', arg: 'x' }, { kind: 'sleep', how: 'uninterruptible' }] }],
        ['helper', { name: 'helper', frameless: false, body: helper }],
        ['use', { name: 'use', frameless: false, body: [] }],
        ['entry_asm', { name: 'entry_asm', frameless: true, body: [{ kind: 'call', fn: 'helper' }, { kind: 'fork' }] }],
      ]),
      patches: [
        { name: 'P1', replaces: new Map([['helper', helper]]), immediate: true, immediateFunctions: new Set(['helper']), replace: false },
        { name: 'P2', replaces: new Map([['use', [{ kind: 'sleep', how: 'interruptible' }]], ['helper', helper]]), immediate: false, immediateFunctions: new Set(), replace: true },
      ],
      tasks: [
        { name: 'u', kind: 'user', syscalls: ['sys_a', 'entry_asm'], loop: [], exits: true },
        { name: 'k', kind: 'kthread', syscalls: [], loop: helper, exits: false },
        { name: 'idle0', kind: 'idle', syscalls: [], loop: [], exits: false },
      ],
      maxForked: 2,
      admin: {
        sequence: [{ kind: 'enable', patch: 'P1' }, { kind: 'enable', patch: 'P2' }, { kind: 'disable', patch: 'P2' }, { kind: 'reverse' }, { kind: 'force' }],
        anytime: new Set(['signal', 'reverse']),
      },
      check: ['frames-agree-with-dispatch', 'completion-safety'],
      expect: { verdict: 'violated', property: 'frames-agree-with-dispatch', traceLength: 7 },
      variants: [
        { name: 'with orc', rules: { fork: 'copy-parent-nonatomic', unwinder: 'orc' }, expect: { verdict: 'safe' } },
        { name: 'only P1', rules: { fork: 'copy-parent-nonatomic', unwinder: 'naive' }, admin: { sequence: [{ kind: 'enable', patch: 'P1' }], anytime: new Set() } },
      ],
    };
    assert.deepEqual(parseScenario(FULL, 's.yaml'), expected);
  });

  it('defaults: no rules, patches, admin, expect or variants', () => {
    const s = parseScenario(y('# yaml-language-server: $schema=../src/spec/spec.schema.json', 'title: t', 'functions: { f: [] }', 'tasks: [{ name: a, kind: user }]', 'check: [PS]'), 's.yaml');
    assert.deepEqual(s.rules, {});
    assert.deepEqual(s.patches, []);
    assert.deepEqual(s.admin, { sequence: [], anytime: new Set() });
    assert.deepEqual(s.tasks, [{ name: 'a', kind: 'user', syscalls: [], loop: [], exits: false }]);
    assert.equal(s.maxForked, 0);
    assert.deepEqual(s.check, ['patch-set-coherence']);
    assert.equal('expect' in s, false);
    assert.deepEqual(s.variants, []);
  });

  it('the example in docs/spec-format.md loads', () => {
    const md = readFileSync(new URL('../../docs/spec-format.md', import.meta.url), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(md)?.[1];
    assert.ok(example !== undefined, 'docs/spec-format.md has a yaml example');
    const s = parseScenario(example, 'docs/spec-format.md');
    assert.deepEqual(s.rules, { fork: 'copy-parent', 'child-stack': 'copy-parent' });
    assert.deepEqual([...s.functions.keys()], ['sys_clone', 'kernel_clone']);
    assert.deepEqual(s.patches.map((p) => [...p.replaces.keys()]), [['kernel_clone']]);
    assert.equal(s.maxForked, 1);
    assert.deepEqual(s.admin.sequence, [{ kind: 'enable', patch: 'P' }]);
  });

  it('loadScenario reads a file; a missing file is KLP101', () => {
    const dir = mkdtempSync(join(tmpdir(), 'klp-spec-'));
    const path = join(dir, 'full.yaml');
    writeFileSync(path, FULL);
    assert.equal(loadScenario(path).file, path);
    assert.throws(() => loadScenario(join(dir, 'nope.yaml')), (e: unknown) => isKlpError(e) && e.code === 'KLP101');
  });
});

/** A value inside the parsed schema, by path. */
function at(x: unknown, ...path: string[]): unknown {
  let v = x;
  for (const k of path) {
    assert.ok(typeof v === 'object' && v !== null && k in v, `schema has ${path.join('.')}`);
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}
const keysOf = (x: unknown): string[] => Object.keys(at(x) as object);

describe('spec.schema.json agrees with the loader', () => {
  const schema: unknown = JSON.parse(readFileSync(new URL('../../src/spec/spec.schema.json', import.meta.url), 'utf8'));

  it('rule families and variants equal RULE_FAMILIES', () => {
    const rules = at(schema, '$defs', 'rules', 'properties');
    assert.deepEqual(keysOf(rules), RULE_FAMILIES.map((f) => f.name));
    // model and sched-switch take no plug-ins; the other families accept a plug-in variant name besides their built-in enum.
    const plain = new Set(['model', 'sched-switch']);
    for (const f of RULE_FAMILIES) assert.deepEqual(plain.has(f.name) ? at(rules, f.name, 'enum') : at(rules, f.name, 'anyOf', '0', 'enum'), f.variants.map((v) => v.name), f.name);
  });

  it('property names and aliases equal PROPERTIES', () => {
    assert.deepEqual(at(schema, '$defs', 'propertyName', 'enum'), PROPERTIES.map((p) => p.name));
    assert.deepEqual(at(schema, '$defs', 'propertyAlias', 'enum'), PROPERTIES.map((p) => p.alias));
  });

  it('the keys of every map equal the loader\'s', () => {
    assert.deepEqual(keysOf(at(schema, 'properties')), [...KEYS.top]);
    assert.deepEqual(keysOf(at(schema, '$defs', 'patch', 'properties')), [...KEYS.patch]);
    assert.deepEqual(keysOf(at(schema, '$defs', 'userTask', 'properties')), [...KEYS.user]);
    assert.deepEqual(keysOf(at(schema, '$defs', 'kthreadTask', 'properties')), [...KEYS.kthread]);
    assert.deepEqual(keysOf(at(schema, '$defs', 'idleTask', 'properties')), [...KEYS.idle]);
    assert.deepEqual(keysOf(at(schema, '$defs', 'expect', 'properties')), [...KEYS.expect]);
    assert.deepEqual(keysOf(at(schema, 'properties', 'variants', 'items', 'properties')), [...KEYS.variant]);
  });

  it('size limits equal LIMITS', () => {
    assert.equal(at(schema, 'properties', 'functions', 'maxProperties'), LIMITS.functions);
    assert.equal(at(schema, 'properties', 'patches', 'maxItems'), LIMITS.patches);
    // The tasks list also holds the one { max-forked } entry.
    assert.equal(at(schema, 'properties', 'tasks', 'maxItems'), LIMITS.tasks + 1);
    assert.equal(at(schema, 'properties', 'variants', 'maxItems'), LIMITS.variants);
    assert.equal(at(schema, '$defs', 'body', 'maxItems'), LIMITS.steps);
    assert.equal(at(schema, '$defs', 'maxForked', 'properties', 'max-forked', 'maximum'), LIMITS.maxForked);
    assert.equal(at(schema, '$defs', 'admin', 'oneOf', '0', 'maxItems'), LIMITS.adminSteps);
    assert.equal(at(schema, '$defs', 'admin', 'oneOf', '1', 'properties', 'sequence', 'maxItems'), LIMITS.adminSteps);
  });

  it('step and admin patterns equal the loader\'s, and accept what parseStep accepts', () => {
    assert.equal(at(schema, '$defs', 'step', 'pattern'), STEP_PATTERN);
    assert.equal(at(schema, '$defs', 'adminStep', 'pattern'), ADMIN_PATTERN);
    assert.deepEqual(at(schema, '$defs', 'admin', 'oneOf', '1', 'properties', 'anytime', 'items', 'enum'), [...ANYTIME]);
    const step = new RegExp(STEP_PATTERN);
    const samples = ['call f', 'x = call f', 'x=call  f', 'call g(x)', 'call g( x )', 'sleep', 'sleep interruptible', 'sleep uninterruptible', 'sleep freezable', 'sleep frozen', 'cond_resched', 'cond_resched f', 'preempt', 'fork', ' fork ', 'call 1f', 'call', 'y = call g(x)', 'sleep forever', 'forks', 'call f g', 'x = f', 'call a.b_c'];
    for (const s of samples) assert.equal(step.test(s), parseStep(s) !== undefined, s);
  });
});
