// The mailing-list report. Golden files pin the exact text for S1 (fork=goal,
// synthetic child stack) and S2 (immediate 1i, 2i, 3); their trace lengths
// are derived by hand in test/livepatch/scenarios.test.ts. Every report must
// fit 72 columns and be ASCII.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
  return text.replace(/[\d,]+ distinct states, [\d,]+ generated/g, 'N distinct states, N generated');
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
    assert.equal(maskCounts(r.text), maskCounts(readFileSync('test/report/golden/s1-goal-synthetic.mail.txt', 'utf8')));
    assertMailSafe(r.text);
  });

  it('S2, immediate 1i 2i 3: golden text', async () => {
    const r = await mail('specs/livepatch/s2-immediate.yaml');
    assert.equal(r.code, 12);
    assert.equal(maskCounts(r.text), maskCounts(readFileSync('test/report/golden/s2-immediate.mail.txt', 'utf8')));
    assertMailSafe(r.text);
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
