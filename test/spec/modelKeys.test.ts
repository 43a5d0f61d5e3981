// The scenario keys of the consistency models and caller-level properties
// (docs/spec-format.md): `caller-consistency: [c]` in check, `formats:` and
// `accepts:` in a patch. Each way to get them wrong is one KlpError with its
// code (KLP221, KLP222), message and line:col; right, they load as declared.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isKlpError, type ErrorCode } from '../../src/engine/errors.ts';
import { parseScenario } from '../../src/spec/loadScenario.ts';

const y = (...lines: string[]): string => `${lines.join('\n')}\n`;
const HEAD = ['title: t', 'functions: { c: [x = call bar, call baz(x)], bar: [], baz: [] }', 'tasks: [{ name: T, kind: user, syscalls: [c] }]'];

function rejects(text: string, code: ErrorCode, message: string, line: number, col: number): void {
  assert.throws(
    () => parseScenario(text, 's.yaml'),
    (e: unknown) => {
      assert.ok(isKlpError(e), String(e));
      assert.equal(e.code, code);
      assert.equal(e.message, message);
      assert.deepEqual(e.location, { file: 's.yaml', line, col });
      return true;
    },
  );
}

describe('caller-consistency in check', () => {
  it('loads the callers', () => {
    const s = parseScenario(y(...HEAD, 'check: [I1, { caller-consistency: [c] }]'), 's.yaml');
    assert.deepEqual(s.check, ['frames-agree-with-dispatch', 'caller-consistency']);
    assert.deepEqual(s.callers, ['c']);
  });
  it('KLP221 without callers', () => rejects(y(...HEAD, 'check: [caller-consistency]'), 'KLP221', 'caller-consistency needs the callers whose activations it checks', 4, 9));
  it('KLP221 an undeclared caller', () => rejects(y(...HEAD, 'check: [{ caller-consistency: [c, d] }]'), 'KLP221', 'caller-consistency names undeclared function "d"', 4, 35));
  it('KLP221 an empty list', () => rejects(y(...HEAD, 'check: [{ caller-consistency: [] }]'), 'KLP221', 'caller-consistency names no caller', 4, 31));
  it('KLP221 another map', () => rejects(y(...HEAD, 'check: [{ data-semantics: [c] }]'), 'KLP221', 'a map in check must be { caller-consistency: [caller, ...] }', 4, 9));
});

describe('formats and accepts in a patch', () => {
  const patch = (p: string): string => y(...HEAD, 'patches:', `  - ${p}`, 'check: [data-semantics]');
  it('loads them', () => {
    const s = parseScenario(patch('{ name: P, replaces: [bar, baz], formats: { bar: new }, accepts: { baz: [orig, new] } }'), 's.yaml');
    assert.deepEqual([...s.patches[0]!.formats!], [['bar', 'new']]);
    assert.deepEqual([...s.patches[0]!.accepts!], [['baz', ['orig', 'new']]]);
  });
  it('KLP222 a function the patch does not replace', () =>
    rejects(patch('{ name: P, replaces: [bar], accepts: { baz: [new] } }'), 'KLP222', 'patches[0].accepts names "baz", which patch P does not replace', 5, 44));
  it('KLP222 a format that is not a name', () =>
    rejects(patch('{ name: P, replaces: [bar], formats: { bar: "new format" } }'), 'KLP222', 'format "new format" in patches[0].formats.bar is not a name', 5, 49));
  it('KLP222 accepting nothing', () => rejects(patch('{ name: P, replaces: [baz], accepts: { baz: [] } }'), 'KLP222', 'patches[0].accepts.baz accepts no format', 5, 49));
});
