// The scenario text a mail report carries (scenarioExcerpt) and the spec
// changes `diff OLD.yaml NEW.yaml` lists first (scenarioChanges).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scenarioExcerpt } from '../../src/report/scenarioExcerpt.ts';
import { scenarioChanges } from '../../src/report/scenarioDiff.ts';

const SHORT = '# a comment kept verbatim\ntitle: t\nfunctions:\n  sys_a: [sleep]\ncheck: [free-safety]\n';

describe('scenario excerpt', () => {
  it('a short, narrow file run as written is quoted whole, comments included', () => {
    assert.deepEqual(scenarioExcerpt(SHORT, { asWritten: true }), { text: SHORT.trimEnd(), whole: true });
  });

  it('run under other rules: rebuilt with those rules, without comments or expectations', () => {
    const src = `${SHORT}expect: { verdict: safe }\nvariants:\n  - { name: v, rules: { fork: goal }, admin: [enable P] }\n`;
    const e = scenarioExcerpt(src, { variant: 'v', rules: { fork: 'goal' } });
    assert.equal(e.whole, false);
    assert.equal(e.text, 'title: t\nrules: {fork: goal}\nfunctions:\n  sys_a: [sleep]\nadmin: [enable P]\ncheck: [free-safety]');
  });

  it('every line fits the mail width once indented by 4', () => {
    const long = `title: ${'word '.repeat(30)}\nfunctions:\n  sys_a: [${Array.from({ length: 20 }, (_, i) => `call f${i}`).join(', ')}]\n`;
    const e = scenarioExcerpt(long, { asWritten: true });
    assert.equal(e.whole, false);
    for (const line of e.text.split('\n')) assert.ok(line.length <= 68, line);
  });
});

describe('scenario changes', () => {
  it('per section: changed, added and removed entries; a rule left out is today\'s kernel', () => {
    const a = 'title: a\nrules: { fork: goal }\nfunctions:\n  f: [sleep]\n  g: [sleep]\npatches:\n  - { name: P, replaces: [f] }\nadmin: [enable P]\ncheck: [free-safety]\n';
    const b = 'title: b\nrules: { unwinder: naive }\nfunctions:\n  f: [call h]\n  h: [sleep]\npatches:\n  - { name: P, replaces: [f] }\nadmin: [enable P, force]\ncheck: [free-safety]\n';
    assert.deepEqual(scenarioChanges(a, b), [
      // wrapped at 72 columns, continuation under the section's text
      "  rules:     fork: goal -> today's kernel; unwinder: today's kernel ->",
      '               naive',
      '  functions: f: [sleep] -> [call h]; - g; + h: [sleep]',
      '  admin:     [enable P] -> [enable P, force]',
    ]);
    assert.deepEqual(scenarioChanges(a, a), []);
  });
});
