// Scenario size limits (KLP206, KLP207): each limit accepts a file exactly at
// the limit and refuses one entry more, at the first entry beyond it (or at
// the number itself), with the limit and the reason in the message.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isKlpError, type ErrorCode, type SourceLocation } from '../../src/engine/errors.ts';
import { LIMIT_HINT, LIMITS } from '../../src/spec/limits.ts';
import { loadScenario, parseScenario } from '../../src/spec/loadScenario.ts';

const y = (...lines: string[]): string => `${lines.join('\n')}\n`;
const times = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i + 1));

function refuses(load: () => unknown, code: ErrorCode, message: string, location: SourceLocation): void {
  assert.throws(load, (e: unknown) => {
    assert.ok(isKlpError(e), String(e));
    assert.equal(e.code, code);
    assert.equal(e.message, message);
    assert.deepEqual(e.location, location);
    return true;
  });
}
const at = (line: number, col: number): SourceLocation => ({ file: 's.yaml', line, col });

describe('scenario size limits', () => {
  it('max-forked: 8 loads, 9 and 1000000 are refused at the number', () => {
    const text = (n: string): string => y('title: t', 'functions: { f: [fork] }', 'tasks:', '  - { name: a, kind: user, syscalls: [f] }', `  - { max-forked: ${n} }`, 'check: [I1]');
    assert.equal(parseScenario(text('8'), 's.yaml').maxForked, 8);
    // "  - { max-forked: " is 18 characters: the number is at column 19.
    refuses(() => parseScenario(text('9'), 's.yaml'), 'KLP206', 'max-forked is 9; at most 8 forked tasks are allowed', at(5, 19));
    refuses(() => parseScenario(text('1000000'), 's.yaml'), 'KLP206', 'max-forked is 1000000; at most 8 forked tasks are allowed', at(5, 19));
  });

  it('16 tasks load (the max-forked entry not counted); the 17th is refused', () => {
    const tasks = (n: number): string[] => times(n, (i) => `  - { name: t${i}, kind: idle }`);
    const ok = y('title: t', 'functions: { f: [] }', 'tasks:', '  - { max-forked: 1 }', ...tasks(16), 'check: [I1]');
    assert.equal(parseScenario(ok, 's.yaml').tasks.length, 16);
    // tasks start on line 4; the 17th is on line 20, its map at column 5 after "  - ".
    const bad = y('title: t', 'functions: { f: [] }', 'tasks:', ...tasks(17), 'check: [I1]');
    refuses(() => parseScenario(bad, 's.yaml'), 'KLP206', 'tasks has 17 tasks; at most 16 are allowed', at(20, 5));
  });

  it('64 functions load; the 65th is refused at its name', () => {
    const fns = (n: number): string[] => times(n, (i) => `  f${i}: [sleep]`);
    const text = (n: number): string => y('title: t', 'functions:', ...fns(n), 'tasks: []', 'check: [I1]');
    assert.equal(parseScenario(text(64), 's.yaml').functions.size, 64);
    // functions start on line 3: the 65th is on line 67, column 3.
    refuses(() => parseScenario(text(65), 's.yaml'), 'KLP206', 'functions has 65 functions; at most 64 are allowed', at(67, 3));
  });

  it('a body of 32 steps loads; the 33rd step is refused', () => {
    const text = (n: number): string => y('title: t', `functions: { f: [${times(n, () => 'sleep').join(', ')}] }`, 'tasks: []', 'check: [I1]');
    assert.equal(parseScenario(text(32), 's.yaml').functions.get('f')!.body.length, 32);
    // "functions: { f: [" is 17 characters and each "sleep, " 7: step 33 is at 18 + 32 * 7 = 242.
    refuses(() => parseScenario(text(33), 's.yaml'), 'KLP206', 'the body of f has 33 steps; at most 32 are allowed', at(2, 242));
  });

  it('a kthread loop is a body too', () => {
    const text = y('title: t', 'functions: { f: [] }', 'tasks:', `  - { name: k, kind: kthread, loop: [${times(33, () => 'call f').join(', ')}] }`, 'check: [I1]');
    // "  - { name: k, kind: kthread, loop: [" is 37 characters, each "call f, " 8: step 33 at 38 + 32 * 8 = 294.
    refuses(() => parseScenario(text, 's.yaml'), 'KLP206', 'the loop of k has 33 steps; at most 32 are allowed', at(4, 294));
  });

  it('16 patches load; the 17th is refused', () => {
    const text = (n: number): string => y('title: t', 'functions: { f: [] }', 'patches:', ...times(n, (i) => `  - { name: P${i}, replaces: [f] }`), 'tasks: []', 'check: [I1]');
    assert.equal(parseScenario(text(16), 's.yaml').patches.length, 16);
    // patches start on line 4: the 17th is on line 20.
    refuses(() => parseScenario(text(17), 's.yaml'), 'KLP206', 'patches has 17 patches; at most 16 are allowed', at(20, 5));
  });

  it('an administrator sequence of 32 steps loads; the 33rd is refused, in a list or under sequence', () => {
    const steps = (n: number): string => times(n, () => 'force').join(', ');
    const text = (admin: string): string => y('title: t', 'functions: { f: [] }', 'tasks: []', admin, 'check: [I1]');
    assert.equal(parseScenario(text(`admin: [${steps(32)}]`), 's.yaml').admin.sequence.length, 32);
    // "admin: [" is 8 characters and each "force, " 7: step 33 at 9 + 32 * 7 = 233.
    refuses(() => parseScenario(text(`admin: [${steps(33)}]`), 's.yaml'), 'KLP206', 'admin has 33 steps; at most 32 are allowed', at(4, 233));
    // "admin: { sequence: [" is 20 characters: step 33 at 21 + 224 = 245.
    refuses(() => parseScenario(text(`admin: { sequence: [${steps(33)}] }`), 's.yaml'), 'KLP206', 'admin.sequence has 33 steps; at most 32 are allowed', at(4, 245));
  });

  it('64 variants load; the 65th is refused', () => {
    const text = (n: number): string => y('title: t', 'functions: { f: [] }', 'tasks: []', 'check: [I1]', 'variants:', ...times(n, (i) => `  - { name: v${i} }`));
    assert.equal(parseScenario(text(64), 's.yaml').variants.length, 64);
    // variants start on line 6: the 65th is on line 70.
    refuses(() => parseScenario(text(65), 's.yaml'), 'KLP206', 'variants has 65 variants; at most 64 are allowed', at(70, 5));
  });

  it('the hint says why', () => {
    assert.throws(
      () => parseScenario(y('title: t', 'functions: { f: [] }', 'tasks: [{ max-forked: 100 }]', 'check: [I1]'), 's.yaml'),
      (e: unknown) => isKlpError(e) && e.hints.length === 1 && e.hints[0] === LIMIT_HINT && /exponentially/.test(LIMIT_HINT),
    );
  });

  it('KLP207 a file larger than the limit, a directory, a device', () => {
    const big = y('title: t', 'functions: { f: [] }', 'tasks: []', 'check: [I1]', `# ${'x'.repeat(LIMITS.fileBytes)}`);
    const bytes = Buffer.byteLength(big);
    refuses(() => parseScenario(big, 's.yaml'), 'KLP207', `spec file s.yaml has ${bytes} bytes; at most ${LIMITS.fileBytes} are allowed`, { file: 's.yaml' });
    const dir = join(mkdtempSync(join(tmpdir(), 'klp-limits-')), 'folder.yaml');
    mkdirSync(dir);
    assert.deepEqual(readdirSync(dir), []);
    refuses(() => loadScenario(dir), 'KLP207', `spec file ${dir} is a directory`, { file: dir });
    // /dev/zero never ends: reading it would exhaust memory.
    refuses(() => loadScenario('/dev/zero'), 'KLP207', 'spec file /dev/zero is not a regular file', { file: '/dev/zero' });
  });
});

describe('loader hardening', () => {
  it('YAML nested thousands deep is one KLP201 line, not "Maximum call stack size exceeded"', () => {
    const deep = y('title: t', `functions: ${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'tasks: []', 'check: [I1]');
    assert.throws(
      () => parseScenario(deep, 's.yaml'),
      (e: unknown) => {
        assert.ok(isKlpError(e));
        assert.equal(e.code, 'KLP201');
        assert.equal(e.message, 'the YAML nests too deeply to parse');
        assert.equal(e.location?.line, 2);
        // The echoed line is clipped: 80 characters and two "..." marks, the caret within it.
        assert.equal(e.hints[0]!.length, 86);
        assert.ok(e.hints[1]!.length <= 86 && e.hints[1]!.endsWith('^'));
        return true;
      },
    );
  });

  it('a long line is echoed around the error column only', () => {
    const long = y('title: t', `functions: { ${times(12, (i) => `f${i}: [sleep]`).join(', ')} ] }`, 'tasks: []', 'check: [I1]');
    assert.throws(
      () => parseScenario(long, 's.yaml'),
      (e: unknown) => {
        assert.ok(isKlpError(e) && e.code === 'KLP201');
        const [shown, caret] = e.hints;
        assert.ok(shown!.startsWith('...') && shown!.length <= 86, shown);
        // The caret points at the same character as the column does in the full line.
        const full = long.split('\n')[1]!;
        const col = e.location!.col!;
        assert.equal(shown![caret!.length - 1], full[col - 1]);
        return true;
      },
    );
  });
});
