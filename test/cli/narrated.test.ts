// `check` on a scenario prints the narrated trace by default (ADR 0011): no
// line of the default output wider than 100 columns, on every bundled
// scenario and every one of its variants (a TLC state line of a scenario was
// 586 columns). A TypeScript spec keeps TLC's output under the same default.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { checkCommand, defaultCheckArgs } from '../../src/cli/checkCommand.ts';
import { loadScenario } from '../../src/spec/loadScenario.ts';

async function run(spec: string, variant?: string, format: 'text' | 'tlc' = 'text'): Promise<{ code: number; text: string }> {
  let text = '';
  const args = defaultCheckArgs(spec, { format, ...(variant !== undefined ? { variant } : {}) });
  const code = await checkCommand(args, { out: (t) => (text += t), err: () => undefined, isErrTty: false, colour: false });
  return { code, text };
}

describe('check on a scenario: narrated by default', () => {
  it('no default output line wider than 100 columns, on every bundled scenario and variant', async () => {
    const files = readdirSync('specs/livepatch').filter((f) => f.endsWith('.yaml')).map((f) => `specs/livepatch/${f}`);
    let runs = 0;
    let violations = 0;
    for (const file of files) {
      for (const variant of [undefined, ...loadScenario(file).variants.map((v) => v.name)]) {
        const r = await run(file, variant);
        runs++;
        if (r.code === 12) violations++;
        for (const line of r.text.split('\n')) assert.ok(line.length <= 100, `${file} ${variant ?? ''}: ${line.length} columns: ${line}`);
        assert.doesNotMatch(r.text, /^\/\\ /m, `${file} ${variant ?? ''}: TLC dump in the default output`);
      }
    }
    // 19 files; S1: base + 9 cells, S1a: 2, S2: 3, S3: 3, S3b: 3, S4: 6, S5: 5, S5 band-aid: 4,
    // S6: 2, S7: 2, S8: 1, S10: 2 (43); S6 liveness: 4 files x 4 = 16; S6 outside the
    // patch: 2 files x 4 = 8; S13: 5. 43 + 16 + 8 + 5 = 72 (test/cli/scenario.test.ts).
    assert.equal(runs, 72);
    assert.ok(violations > 0, 'some run must show a narrated trace');
  });

  it('--format tlc keeps the TLC dump (and its long lines) for those who want it', async () => {
    const r = await run('specs/livepatch/s2-immediate.yaml', undefined, 'tlc');
    assert.equal(r.code, 12);
    assert.match(r.text, /^State 8: <klp_try_switch_task\("T"\)>$/m);
    assert.match(r.text, /^\/\\ funcStack = /m);
  });

  it('a TypeScript spec keeps TLC\'s text under the default format', async () => {
    const r = await run('test/fixtures/suite/counter.ts');
    // Counter, N = 10: deadlock at 10 after 0,2,4,6,8 (hand count in test/support/counterSpec.ts).
    assert.equal(r.code, 11);
    assert.match(r.text, /^State 6: <Step\(2\)>$/m);
    assert.match(r.text, /^Error: Deadlock reached\.$/m);
  });
});
