// The mailing-list report. Golden files pin the exact text for S1 (fork=goal,
// synthetic child stack), S2 (immediate 1i, 2i, 3) and S1 under today's
// kernel (no violation); the trace lengths are derived by hand in
// test/livepatch/scenarios.test.ts. Every report must fit 72 columns and be
// ASCII, and the scenario it carries inline must give the same run.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VERSION } from '../../src/cli/version.ts';
import { loadScenario } from '../../src/spec/loadScenario.ts';
import type { CheckResult } from '../../src/engine/result.ts';
import { describe, it } from 'node:test';
import { checkCommand, defaultCheckArgs, type CheckArgs } from '../../src/cli/checkCommand.ts';
import { parseScenario } from '../../src/spec/loadScenario.ts';
import { livepatchSpec } from '../../src/livepatch/model.ts';
import { check } from '../../src/engine/bfs.ts';
import { instantiate } from '../../src/engine/spec.ts';
import { renderMail, wrap } from '../../src/report/mailReport.ts';
import { livepatchNarrator } from '../../src/report/livepatchNarrator.ts';
import type { Narrator } from '../../src/report/narrator.ts';

async function mail(spec: string, extra: Partial<CheckArgs> = {}): Promise<{ code: number; text: string }> {
  let text = '';
  const args: CheckArgs = defaultCheckArgs(spec, { format: 'mail', timing: false, ...extra });
  const code = await checkCommand(args, { out: (t) => (text += t), err: () => undefined, isErrTty: false, colour: false });
  return { code, text };
}

/**
 * The golden files pin the report's text, verdict and trace; the distinct and
 * generated counts are the checker's own figures with no independent source,
 * so they are masked (the depth of a violation is its hand-derived length).
 */
function maskCounts(text: string): string {
  return text
    .replace(/[\d,]+ distinct states, [\d,]+ generated/g, 'N distinct states, N generated')
    .replace(/depth \d+, every reachable/g, 'depth N, every reachable');
}

/** A golden file; the version line follows package.json. */
function golden(name: string): string {
  return readFileSync(`test/report/golden/${name}`, 'utf8').replace('klpcheck @VERSION@', `klpcheck ${VERSION}`);
}

/** The scenario block of a mail report, unindented. */
function inlineScenario(text: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Scenario ('));
  const body: string[] = [];
  let i = start + 1;
  while (i < lines.length && lines[i] !== '') i++; // the heading may wrap
  for (i++; i < lines.length && (lines[i] === '' || lines[i]!.startsWith('    ')); i++) body.push(lines[i]!.slice(4));
  return `${body.join('\n').trimEnd()}\n`;
}

function assertMailSafe(text: string): void {
  for (const line of text.split('\n')) {
    assert.ok(line.length <= 72, `over 72 columns: ${line}`);
    assert.match(line, /^[\x20-\x7e]*$/, `not ASCII: ${line}`);
  }
}

describe('mail report', () => {
  it('S1, fork=goal with a synthetic child stack: golden text', async () => {
    const r = await mail('specs/livepatch/s1-fork-matrix.yaml', { variant: 'goal/synthetic' });
    assert.equal(r.code, 12);
    assert.equal(maskCounts(r.text), maskCounts(golden('s1-goal-synthetic.mail.txt')));
    assertMailSafe(r.text);
  });

  it('S2, immediate 1i 2i 3: golden text', async () => {
    const r = await mail('specs/livepatch/s2-immediate.yaml');
    assert.equal(r.code, 12);
    assert.equal(maskCounts(r.text), maskCounts(golden('s2-immediate.mail.txt')));
    assertMailSafe(r.text);
  });

  it('S1 under today\'s kernel, no violation: golden text', async () => {
    // Today's kernel (fork=copy-parent, child-stack=empty) is safe in S1 (the matrix in docs/scenarios.md).
    const r = await mail('specs/livepatch/s1-fork-matrix.yaml');
    assert.equal(r.code, 0);
    assert.equal(maskCounts(r.text), maskCounts(golden('s1-today-safe.mail.txt')));
    assert.match(r.text, /^Rules: {5}as in today's kernel$/m);
    assertMailSafe(r.text);
  });

  it('carries the klpcheck version and, for a variant, only the rules that differ from today\'s kernel', async () => {
    const r = await mail('specs/livepatch/s1-fork-matrix.yaml', { variant: 'goal/synthetic' });
    assert.match(r.text, new RegExp(`^Checker: {3}klpcheck ${VERSION.replace(/\./g, '\\.')}$`, 'm'));
    // goal/synthetic sets fork and child-stack; the scenario's own model: upstream is today's kernel.
    assert.match(r.text, /^Rules: {5}fork=goal, child-stack=synthetic-initial \(others as in\n {11}today's kernel\)$/m);
  });

  it('the inline scenario, saved as a file, gives the same verdict and trace (every S1 variant, S2, S3, S6 liveness)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'klp-mail-'));
    const runs: [string, string | undefined][] = [
      ...loadScenario('specs/livepatch/s1-fork-matrix.yaml').variants.map((v): [string, string | undefined] => ['specs/livepatch/s1-fork-matrix.yaml', v.name]),
      ['specs/livepatch/s2-immediate.yaml', undefined],
      ['specs/livepatch/s3-unwinder.yaml', undefined],
      // A temporal property: the excerpt must carry `assume:`, or the fairness (and the lasso) differ.
      ['specs/livepatch/s6-liveness.yaml', undefined],
      ['specs/livepatch/s6-liveness.yaml', 'no-signal'],
      ['specs/livepatch/s6-liveness-kthread.yaml', undefined],
    ];
    for (const [spec, variant] of runs) {
      const original = await mail(spec, variant === undefined ? {} : { variant });
      const file = join(dir, `${spec.replace(/\W/g, '-')}-${(variant ?? 'base').replace('/', '-')}.yaml`);
      writeFileSync(file, inlineScenario(original.text));
      const again = await mail(file);
      const verdictOf = (t: string): string => /^Verdict: +(.*)$/m.exec(t)![1]!;
      const traceOf = (t: string): string => t.slice(t.indexOf('Trace ('));
      assert.equal(again.code, original.code, `${spec} ${variant ?? ''}`);
      assert.equal(verdictOf(again.text), verdictOf(original.text), `${spec} ${variant ?? ''}`);
      assert.equal(traceOf(again.text), traceOf(original.text), `${spec} ${variant ?? ''}`);
    }
  });

  it('vacuity warnings: in the summary, wrapped to 72 columns, and the verdict says how many', () => {
    const scenario = parseScenario('title: t\nfunctions:\n  sys_a: [sleep]\npatches:\n  - { name: P, replaces: [sys_a] }\ntasks:\n  - { name: T, kind: user, syscalls: [sys_a] }\ncheck: [frames-agree-with-dispatch]\n', 'inline.yaml');
    const result: CheckResult = {
      ...check(instantiate(livepatchSpec(scenario))),
      warnings: [
        { code: 'KLP501', message: 'no property is checked' },
        { code: 'KLP503', message: 'the premise of frames-agree-with-dispatch (a task with a frame of a patched function) never holds in any reachable state' },
      ],
    };
    const text = renderMail({ specFile: 'inline.yaml', title: 't', version: '9.9.9', properties: [], reproduce: 'npx klpcheck check inline.yaml --format mail', result, narrator: livepatchNarrator as Narrator });
    assert.match(text, /^Verdict: {3}no violation, but 2 checks were vacuous\n {11}Warning KLP501: no property is checked\n {11}Warning KLP503: the premise of frames-agree-with-dispatch \(a\n {13}task with a frame of a patched function\) never holds in any\n {13}reachable state\n/m);
    assertMailSafe(text);
  });

  it('with no violation, lists what was checked and the actions that never fired', () => {
    const scenario = parseScenario(
      'title: nobody enables the patch\nfunctions:\n  sys_a: [sleep]\npatches:\n  - { name: P, replaces: [sys_a] }\ntasks:\n  - { name: T, kind: user, syscalls: [sys_a] }\ncheck: [frames-agree-with-dispatch]\n',
      'inline.yaml',
    );
    const model = instantiate(livepatchSpec(scenario));
    const text = renderMail({
      specFile: 'inline.yaml',
      title: scenario.title,
      version: '0.0.0-test',
      properties: [{ name: 'frames-agree-with-dispatch', alias: 'I1', description: 'frames agree' }],
      reproduce: 'npx klpcheck check inline.yaml --format mail',
      result: check(model),
      narrator: livepatchNarrator as Narrator,
    });
    // No admin step: no transition ever starts; sys_a calls nothing.
    assert.match(text, /^Actions that never fired: klp_ftrace_handler, klp_try_switch_task,\nklp_enable_patch, klp_complete_transition\. If one of them is what the\nscenario is about, the scenario is wrong\.$/m);
    assertMailSafe(text);
  });

  it('wraps at 72 columns and keeps words whole', () => {
    const lines = wrap('a '.repeat(60) + 'averyveryverylongword', 'Label:     ', '           ');
    assert.ok(lines.every((l) => l.length <= 72));
    assert.ok(lines[lines.length - 1]!.endsWith('averyveryverylongword'));
  });
});
