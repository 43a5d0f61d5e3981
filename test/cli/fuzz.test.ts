// Fuzz test of the scenario loader and the command line (issue 7): thousands
// of seeded, reproducible mutants of the bundled scenario files and of
// command lines, run in-process through main(argv, io). Whatever the input:
// no internal error (exit 1) and no stack trace; a failure is exit 2 with
// exactly one `error KLPnnn` line (plus hint lines), at file:line:col for a
// scenario file; a run that checks exits 0, 11, 12, 13, 14 or 15; and nothing hangs
// (every check carries --max-states and --timeout). A few command lines also
// go through the real binary to see the process exit codes agree.
// Reproduce one case: FUZZ_SEED=<seed> (the seed is in the failure message).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { mutateArgs, type ArgPaths } from '../support/mutateArgs.ts';
import { mutateScenario, tokensOf } from '../support/mutateScenario.ts';
import { Rng } from '../support/prng.ts';
import { ROOT, hasStack, runCli } from '../support/runCli.ts';
import { runMain, type MainRun } from '../support/runMain.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const SCENARIO_CASES = Number(process.env.FUZZ_SCENARIOS ?? 1500);
const ARG_CASES = Number(process.env.FUZZ_ARGS ?? 1000);
/** Far above any bounded run (--timeout is at most 2 s here): only a hang gets near it. */
const HANG_MS = 20_000;
const OK_CODES = [0, 11, 12, 13, 14, 15];

const dir = mkdtempSync(join(tmpdir(), 'klp-fuzz-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SCENARIO_DIR = 'specs/livepatch';
const bundled = readdirSync(join(ROOT, SCENARIO_DIR)).filter((f) => f.endsWith('.yaml')).sort();
const texts = bundled.map((f) => readFileSync(join(ROOT, SCENARIO_DIR, f), 'utf8'));

type Run = MainRun;
const run = runMain;

/** A stack frame with or without a function name: `at f (file:1:2)` or `at file:1:2`. */
const ANY_FRAME = /^\s+at (?:.+ \()?(?:file:\/\/|node:|\/).+:\d+(?::\d+)?\)?$/m;
const ERROR_LINE = /^(?:(.+?): )?error (KLP\d{3}): /;

/** The invariants every run keeps; returns the error code of a failure, or undefined. */
function checkInvariants(what: string, r: Run, file?: string): string | undefined {
  const show = `${what}\nexit ${r.code}\n--- stdout\n${r.out.slice(0, 2000)}\n--- stderr\n${r.err.slice(0, 2000)}`;
  assert.notEqual(r.code, 1, `internal error: ${show}`);
  assert.ok(!hasStack(r.out) && !hasStack(r.err) && !ANY_FRAME.test(r.err), `stack trace: ${show}`);
  assert.ok(!/internal error/.test(r.err), `internal error: ${show}`);
  assert.ok(r.ms < HANG_MS, `took ${r.ms} ms: ${show}`);
  if (r.code !== 2) {
    assert.ok(OK_CODES.includes(r.code), `exit code: ${show}`);
    return undefined;
  }
  const lines = r.err.replace(/\n$/, '').split('\n');
  const errors = lines.filter((l) => ERROR_LINE.test(l));
  assert.equal(errors.length, 1, `one error line: ${show}`);
  assert.ok(ERROR_LINE.test(lines[0]!), `the error line comes first: ${show}`);
  for (const l of lines.slice(1)) assert.ok(l.startsWith('  ') || l === 'Run klpcheck --help for usage.', `a hint line: ${JSON.stringify(l)} in ${show}`);
  const m = ERROR_LINE.exec(lines[0]!)!;
  if (file !== undefined) {
    assert.match(lines[0]!, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: error KLP2\\d\\d: `), `file:line:col: ${show}`);
  }
  return m[2]!;
}

function tally(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
const listed = (counts: Map<string, number>): string => [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${n}`).join(', ');

describe('fuzz', () => {
  it(`${SCENARIO_CASES} mutated scenario files: exit 2 with one KLP2xx line at file:line:col, or a bounded check`, async (t) => {
    const rng = new Rng(SEED);
    const tokens = tokensOf(texts);
    const rejected = new Map<string, number>();
    const checked = new Map<string, number>();
    for (let i = 0; i < SCENARIO_CASES; i++) {
      const base = rng.int(texts.length);
      const mutant = mutateScenario(texts[base]!, rng, tokens);
      const file = join(dir, `m${i}.yaml`);
      writeFileSync(file, mutant.text);
      const format = rng.pick(['text', 'text', 'json', 'mail', 'dot', 'html']);
      const argv = ['check', file, '--max-states', '15', '--timeout', '2', '--no-timing', '--format', format];
      const r = await run(argv);
      const code = checkInvariants(`case ${i} (seed ${SEED}) of ${bundled[base]}: ${mutant.ops.join(', ')}\n${mutant.text}`, r, file);
      if (code === undefined) tally(checked, `exit ${r.code}`);
      else tally(rejected, code);
    }
    const nRejected = [...rejected.values()].reduce((a, b) => a + b, 0);
    const nChecked = SCENARIO_CASES - nRejected;
    t.diagnostic(`${SCENARIO_CASES} scenario mutants: ${nRejected} rejected at file:line:col (${listed(rejected)}), ${nChecked} checked (${listed(checked)})`);
    // Both sides must be exercised, or the mutations are too mild or too wild.
    assert.ok(nRejected > SCENARIO_CASES / 4 && nChecked > SCENARIO_CASES / 20, listed(rejected) + ' / ' + listed(checked));
  });

  it(`${ARG_CASES} mutated command lines: exit 2 with one KLPnnn line, or a bounded run`, async (t) => {
    const rng = new Rng(SEED + 1);
    const paths = argPaths();
    const rejected = new Map<string, number>();
    const ran = new Map<string, number>();
    for (let i = 0; i < ARG_CASES; i++) {
      const argv = mutateArgs(rng, paths);
      const r = await run(argv);
      const code = checkInvariants(`case ${i} (seed ${SEED + 1}): klpcheck ${argv.map((a) => JSON.stringify(a)).join(' ')}`, r);
      if (code === undefined) tally(ran, `exit ${r.code}`);
      else tally(rejected, code);
    }
    const nRejected = [...rejected.values()].reduce((a, b) => a + b, 0);
    t.diagnostic(`${ARG_CASES} command lines: ${nRejected} rejected (${listed(rejected)}), ${ARG_CASES - nRejected} ran (${listed(ran)})`);
    assert.ok(nRejected > ARG_CASES / 4 && ARG_CASES - nRejected > ARG_CASES / 20, listed(rejected) + ' / ' + listed(ran));
  });

  it('20 command lines through the real binary exit as they do in-process', async (t) => {
    const rng = new Rng(SEED + 2);
    const paths = argPaths();
    const lines: string[][] = [['--help'], ['--version'], ['check', '--help']];
    while (lines.length < 20) lines.push(mutateArgs(rng, paths));
    const codes = new Map<string, number>();
    for (const argv of lines) {
      const p = runCli(argv);
      const what = `klpcheck ${argv.map((a) => JSON.stringify(a)).join(' ')}\n--- stderr\n${p.stderr}`;
      assert.ok(!hasStack(p.stdout) && !hasStack(p.stderr), what);
      if (argv.includes('--help') || argv.includes('--version')) {
        assert.equal(p.code, 0, what);
        assert.ok(p.stdout.length > 0 && p.stderr === '', what);
      } else {
        const r = await run(argv);
        assert.equal(p.code, r.code, what);
        assert.equal(p.stderr, r.err, what);
        checkInvariants(what, { ...r, code: p.code });
      }
      tally(codes, `exit ${p.code}`);
    }
    t.diagnostic(`20 processes: ${listed(codes)}`);
  });
});

function argPaths(): ArgPaths {
  const yamlDir = join(dir, 'folder.yaml');
  const emptyDir = join(dir, 'empty');
  const plainFile = join(dir, 'plain.txt');
  mkdirSync(yamlDir, { recursive: true });
  mkdirSync(emptyDir, { recursive: true });
  writeFileSync(plainFile, 'not a spec\n');
  return {
    scenarios: bundled.map((f) => `${SCENARIO_DIR}/${f}`),
    modules: ['specs/examples/diehard.ts', 'test/fixtures/suite/counter.ts'],
    outDir: join(dir, 'out'),
    yamlDir,
    plainFile,
    emptyDir,
  };
}
