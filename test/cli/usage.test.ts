// Command-line mistakes the fuzz test (test/cli/fuzz.test.ts) found, each
// now one KLPnnn line and exit 2, run in-process: an unknown command, a bad
// --format, a single-valued option given twice, a file of another kind, an
// empty --out.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runMain } from '../support/runMain.ts';

const S6 = 'specs/livepatch/s6-force.yaml';
const USAGE = 'Run klpcheck --help for usage.\n';

async function bad(argv: readonly string[], err: string): Promise<void> {
  const r = await runMain(argv);
  assert.deepEqual({ code: r.code, out: r.out, err: r.err }, { code: 2, out: '', err }, argv.join(' '));
}

describe('usage errors found by the fuzz test', () => {
  it('an unknown command is named as such (yargs listed every option as unknown)', async () => {
    await bad(['CHECK', S6, '--max-states', '5'], 'error KLP301: unknown command "CHECK"\n  commands: check, report, simulate, suite, compare, diff, rules (klpcheck --help)\n');
  });

  it('a --format outside its choices is one line (yargs spread it over two)', async () => {
    await bad(['check', S6, '--format', 'xml'], `error KLP301: --format takes one of text, tlc, json, mail, dot, html; got "xml"\n${USAGE}`);
    await bad(['compare', S6, '--format', 'dot'], `error KLP301: --format takes one of text, markdown, json; got "dot"\n${USAGE}`);
  });

  it('a single-valued option given twice (was: text output for two formats, a joined variant name, a bad --out path)', async () => {
    await bad(['check', S6, '--format', 'dot', '--format', 'json'], 'error KLP301: --format is given 2 times; give it once\n');
    await bad(['check', 'specs/livepatch/s1-fork-matrix.yaml', '--variant', 'goal/copy', '--variant', 'copy/copy'], 'error KLP301: --variant is given 2 times; give it once\n');
    await bad(['check', S6, '--max-states', '5', '--max-states', '6'], 'error KLP301: --max-states is given 2 times; give it once\n');
    await bad(['check', S6, '--out', 'a', '--out', 'b'], 'error KLP301: --out is given 2 times; give it once\n');
    assert.ok(!existsSync('a') && !existsSync('b'));
  });

  it('a file that is neither a scenario nor a module (was: imported, KLP103 "Unknown file extension")', async () => {
    await bad(['check', 'README.md'], 'README.md: error KLP208: README.md is neither a scenario (.yaml, .yml) nor a spec module (.ts, .mts, .js, .mjs)\n');
    await bad(['check', 'package.json'], 'package.json: error KLP208: package.json is neither a scenario (.yaml, .yml) nor a spec module (.ts, .mts, .js, .mjs)\n');
  });

  it('--out "" (was: the files written into the current folder)', async () => {
    await bad(['check', 'specs/examples/diehard.ts', '--out', ''], 'error KLP301: --out takes a folder name\n  e.g. --out results\n');
  });

  it('an empty spec name (was: ": error KLP101: no spec file " with an empty location)', async () => {
    await bad(['report', '', '--max-states', '40'], 'error KLP301: the spec file name is empty\n  name a scenario (.yaml) or a spec module (.ts)\n');
  });
});
