// bin/plainNames.js compiles TypeScript (klpcheck's own modules and the
// user's specs) and keeps what it compiled in a cache folder under the
// temporary folder: tested through the command line, each test with a
// temporary folder of its own as TMPDIR.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../support/runCli.ts';

const CACHE_NAME = `klpcheck-plain-${process.getuid?.() ?? 'user'}`;

/** A temporary folder for one test (its TMPDIR), removed when the file's tests end. */
const made: string[] = [];
function tempFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'klp-cache-'));
  made.push(dir);
  return dir;
}
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A counter from 0 to `top` outside the repository: top + 1 distinct states, top + 1 generated (Init included), depth top + 1. */
function counterSpec(path: string, top: number): void {
  writeFileSync(
    path,
    `import { Record } from 'immutable';
import { defineSpec } from 'klpcheck';
const C = Record({ n: 0 });
export default defineSpec({
  name: 'Count',
  constants: {},
  init: () => [C()],
  actions: { Inc: (s: ReturnType<typeof C>) => s.n < ${top} && s.set('n', s.n + 1) },
  invariants: {},
  checkDeadlock: false,
});
`,
  );
}

function distinct(stdout: string): number {
  const m = /(\d+) distinct states found/.exec(stdout);
  assert.ok(m !== null, stdout);
  return Number(m[1]);
}

describe('the compile cache (bin/plainNames.js)', () => {
  it('is made on the first run (this user only), then read: no file is compiled again', () => {
    const tmp = tempFolder();
    const first = runCli(['check', 'specs/examples/diehard.ts', '-i', 'TypeOK', '--no-timing'], { TMPDIR: tmp });
    assert.equal(first.code, 0, first.stderr);
    const cache = join(tmp, CACHE_NAME);
    assert.equal(statSync(cache).mode & 0o777, 0o700);
    const files = readdirSync(cache).sort();
    // The command line's own modules and the spec, each compiled once, and no temporary file left.
    assert.ok(files.length > 50, String(files.length));
    assert.ok(files.every((f) => /^[0-9a-f]{64}\.mjs$/.test(f)), files.join(' '));
    const second = runCli(['check', 'specs/examples/diehard.ts', '-i', 'TypeOK', '--no-timing'], { TMPDIR: tmp });
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, first.stdout);
    assert.deepEqual(readdirSync(cache).sort(), files);
  });

  it('an edited spec is compiled again: the run sees the new text', () => {
    const tmp = tempFolder();
    const spec = join(tmp, 'count.ts');
    counterSpec(spec, 3);
    const r1 = runCli(['check', spec, '--no-timing'], { TMPDIR: tmp });
    assert.equal(r1.code, 0, r1.stderr);
    assert.equal(distinct(r1.stdout), 4);
    counterSpec(spec, 5);
    const r2 = runCli(['check', spec, '--no-timing'], { TMPDIR: tmp });
    assert.equal(r2.code, 0, r2.stderr);
    assert.equal(distinct(r2.stdout), 6);
  });

  it('a cache folder others may write to is not used: the run compiles and writes nothing there', () => {
    const tmp = tempFolder();
    const cache = join(tmp, CACHE_NAME);
    mkdirSync(cache);
    chmodSync(cache, 0o777);
    // Others could plant a file under the name a module is cached as, and it would run as this user: such a folder is not used.
    const r = runCli(['check', 'specs/examples/diehard.ts', '-i', 'TypeOK', '--no-timing'], { TMPDIR: tmp });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^97 states generated, 16 distinct states found, 0 states left on queue\.$/m);
    assert.deepEqual(readdirSync(cache), []);
  });
});
