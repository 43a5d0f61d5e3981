// Constants from the command line as a TLC .cfg gives them, and specs that live
// outside the repository: `import ... from 'klpcheck'` and the engine's own
// 'immutable' resolve from any directory, and a missing import is one line.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, hasStack, runCli } from '../support/runCli.ts';

/** A copy of a repository spec whose imports of the engine say 'klpcheck'. */
function outside(dir: string, name: string, source: string): string {
  const text = readFileSync(join(ROOT, source), 'utf8').replace(/'(\.\.\/)+src\/engine\/index\.ts'/g, "'klpcheck'");
  assert.match(text, /from 'klpcheck'/);
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function expectBad(args: readonly string[], stderr: string | RegExp): void {
  const r = runCli(args);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  if (typeof stderr === 'string') assert.equal(r.stderr, stderr);
  else assert.match(r.stderr, stderr);
  assert.ok(!hasStack(r.stderr), r.stderr);
}

describe('--const as in a TLC .cfg', () => {
  it('RM={r1, r1} is RM={r1}: TwoPhase with one RM, 12 distinct / 20 generated / depth 5', () => {
    // Hand count in test/engine/constants.test.ts (TWOPHASE_ONE_RM).
    const r = runCli(['check', 'specs/examples/twophase.ts', '--const', 'RM={r1, r1}', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout) as { constants: { RM: string[] }; stats: { distinct: number; generated: number; depth: number } };
    assert.deepEqual(s.constants, { RM: ['r1'] });
    assert.deepEqual([s.stats.distinct, s.stats.generated, s.stats.depth], [12, 20, 5]);
  });

  it('a deep type error exits 2 with KLP106 and the path inside the value', () => {
    expectBad(['check', 'specs/examples/twophase.ts', '--const', 'RM={r1, 2}'], 'error KLP106: constant RM of spec TwoPhase at RM[2]: expected a string, got the integer 2 (RM takes a set of strings)\n');
    expectBad(
      ['check', 'test/fixtures/tokenGroups.ts', '--const', 'Groups={{a}, {b, "c"}}'],
      'error KLP106: constant Groups of spec TokenGroups at Groups[2][2]: expected a model value, got the string "c" (Groups takes a set of sets of model values)\n',
    );
    expectBad(['check', 'test/fixtures/tokenGroups.ts', '--const', 'Groups={{a}'], /^error KLP106: cannot read --const Groups=\{\{a\}: expected "," or "\}" in a set opened with "\{" at column 12, found the end\n/);
  });

  it('model values and sets of sets parse and print as TLC prints them', () => {
    const r = runCli(['check', 'test/fixtures/tokenGroups.ts', '-i', 'NotP3InAB', '--const', 'Groups={{b, a}, {c}, {a, b}}', '--no-timing']);
    assert.equal(r.code, 12, r.stderr);
    // {{b, a}, {c}, {a, b}} is {{c}, {a, b}}: a smaller set first (SetEnumValue.compareTo).
    assert.match(r.stdout, /^Constants: Procs = \{p1, p2, p3\}, Groups = \{\{c\}, \{a, b\}\}$/m);
    // Shortest trace, 3 states, found as derived by hand: BFS expands (p2, {}) then (p3, {}),
    // whose Join({a, b}) is the first violating successor (Groups enumerate {c} first).
    assert.match(r.stdout, /^State 1: <Initial predicate>\n\/\\ holder = p1\n\/\\ group = \{\}\n\nState 2: <Pass\(p3\)>\n\/\\ holder = p3\n\/\\ group = \{\}\n\nState 3: <Join\(\{a, b\}\)>\n\/\\ holder = p3\n\/\\ group = \{a, b\}\n/m);
  });
});

describe('a spec outside the repository', () => {
  const dir = mkdtempSync(join(tmpdir(), 'klp-outside-'));

  it("loads with `import { defineSpec } from 'klpcheck'`: DieHard, TLC's 16 distinct / 97 generated / depth 8", () => {
    // No package.json in the folder: the spec still loads as an ES module.
    const spec = outside(dir, 'diehard.ts', 'specs/examples/diehard.ts');
    const r = runCli(['check', spec, '-i', 'TypeOK', '--no-timing']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^97 states generated, 16 distinct states found, 0 states left on queue\.$/m);
    assert.match(r.stdout, /^The depth of the complete state graph search is 8\.$/m);
    // Nor where a package.json says "type": "commonjs".
    const cjs = join(dir, 'cjs');
    mkdirSync(cjs);
    writeFileSync(join(cjs, 'package.json'), '{ "type": "commonjs" }\n');
    const r2 = runCli(['check', outside(cjs, 'diehard.ts', 'specs/examples/diehard.ts'), '-i', 'TypeOK', '--no-timing']);
    assert.equal(r2.code, 0, r2.stderr);
    assert.match(r2.stdout, /^97 states generated, 16 distinct states found, 0 states left on queue\.$/m);
  });

  it("gets the engine's own 'immutable' even where another copy is installed", () => {
    const sub = join(dir, 'with-own-immutable');
    mkdirSync(join(sub, 'node_modules', 'immutable'), { recursive: true });
    writeFileSync(join(sub, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(sub, 'node_modules', 'immutable', 'package.json'), '{ "name": "immutable", "type": "module", "exports": "./index.js" }\n');
    writeFileSync(join(sub, 'node_modules', 'immutable', 'index.js'), 'throw new Error("the spec got a second copy of immutable");\n');
    const spec = outside(sub, 'tokenGroups.ts', 'test/fixtures/tokenGroups.ts');
    const r = runCli(['check', spec, '--no-timing']);
    assert.equal(r.code, 0, r.stderr);
    // Hand count in test/engine/constants.test.ts: 9 distinct, 31 generated, depth 3.
    assert.match(r.stdout, /^31 states generated, 9 distinct states found, 0 states left on queue\.$/m);
  });

  it('fails with one KLP103 line naming an import that is not installed', () => {
    const spec = join(dir, 'needs.ts');
    writeFileSync(spec, "import { defineSpec } from 'klpcheck';\nimport { thing } from 'no-such-package-klp';\nexport default defineSpec(thing);\n");
    expectBad(
      ['check', spec],
      `${spec}:2:23: error KLP103: cannot load spec: it imports the package 'no-such-package-klp', which is not installed where needs.ts is\n` +
        "  klpcheck provides 'klpcheck' and 'immutable' to a spec in any directory; install other packages next to the spec (npm install no-such-package-klp)\n",
    );
  });
});
