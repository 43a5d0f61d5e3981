// DOT pictures (trace swimlanes, whole state graph) and colour in the mail
// report. The state graph is cross-checked against the BFS engine: both must
// find the same number of states for the same model.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { checkCommand, defaultCheckArgs, type CheckArgs } from '../../src/cli/checkCommand.ts';
import { check } from '../../src/engine/bfs.ts';
import { instantiate } from '../../src/engine/spec.ts';
import { exploreGraph } from '../../src/engine/stateGraph.ts';
import { scenarioRun } from '../../src/cli/scenarioRun.ts';
import { loadScenario } from '../../src/spec/loadScenario.ts';
import diehard from '../../specs/examples/diehard.ts';

async function run(extra: Partial<CheckArgs>, colour = false): Promise<{ code: number; text: string; err: string }> {
  let text = '';
  let err = '';
  const args: CheckArgs = defaultCheckArgs('specs/livepatch/s1-fork-matrix.yaml', { variant: 'goal/synthetic', format: 'dot', timing: false, ...extra });
  let code: number;
  try {
    code = await checkCommand(args, { out: (t) => (text += t), err: (t) => (err += t), isErrTty: false, colour });
  } catch (e) {
    code = -1;
    err = String(e);
  }
  return { code, text, err };
}

describe('DOT', () => {
  it('draws the S1 trace as lanes: 5 step rows, parent in each, child1 in the last, breaking step red', async () => {
    const { text } = await run({});
    assert.ok(text.startsWith('digraph trace {\n'));
    assert.equal(text.match(/^ {2}s\d+ \[label=/gm)?.length, 5);
    assert.equal(text.match(/^ {2}n\d+_0 \[label="parent\\n/gm)?.length, 5);
    assert.equal(text.match(/^ {2}n\d+_1 \[label="child1\\n/gm)?.length, 1);
    assert.match(text, /^ {2}s4 \[label="5: parent forks child1 \(copy_process\)\\nframes-agree-with-dispatch breaks: .*", shape=plaintext, fontcolor=red\];$/m);
    assert.match(text, /kernel_clone@orig \(stale\)", style=filled, fillcolor="#ffe0b3", color=red, penwidth=2\];/);
  });

  it('draws the whole state graph with the violating path in red', async () => {
    const { text } = await run({ graph: true });
    assert.ok(text.startsWith('digraph states {\n'));
    // The 5-state path: 4 red edges.
    assert.equal(text.match(/penwidth=3\];$/gm)?.length, 4);
  });

  it('the state graph has as many states as the BFS engine finds', () => {
    const spec = scenarioRun(loadScenario('specs/livepatch/s1-fork-matrix.yaml'), 'goal/synthetic').spec;
    const graph = exploreGraph(instantiate(spec), 5000)!;
    const bfs = check(instantiate(spec, { invariants: [] }));
    assert.equal(graph.states.length, bfs.stats.distinct);
    assert.equal(graph.edges.length, bfs.stats.generated - 1);
  });

  it('refuses a state graph too large to draw', () => {
    assert.equal(exploreGraph(instantiate(diehard), 10), undefined);
  });
});

describe('DOT of a liveness counterexample (a lasso)', () => {
  async function dot(spec: string): Promise<{ code: number; text: string }> {
    let text = '';
    const code = await checkCommand(defaultCheckArgs(spec, { format: 'dot', timing: false }), { out: (t) => (text += t), err: () => undefined, isErrTty: false, colour: false });
    return { code, text };
  }

  it('S6 kthread: the dashed back edge from the last step to the loop start (state 2), golden', async () => {
    const { code, text } = await dot('specs/livepatch/s6-liveness-kthread.yaml');
    assert.equal(code, 13);
    assert.equal(text, readFileSync('test/report/golden/s6-liveness-kthread.dot', 'utf8'));
    assert.match(text, /^ {2}s5 -> s1 \[style=dashed, constraint=false, fontname="monospace", fontsize=10, label="loop: back to 2 by T's loop starts over, forever"\];$/m);
  });

  it('S6 D state: a stuttering end is a dashed self-loop on the last step, golden', async () => {
    const { code, text } = await dot('specs/livepatch/s6-liveness-d-state.yaml');
    assert.equal(code, 13);
    assert.equal(text, readFileSync('test/report/golden/s6-liveness-d-state.dot', 'utf8'));
    assert.match(text, /^ {2}s4 -> s4 \[style=dashed, constraint=false, fontname="monospace", fontsize=10, label="loop: stays in 5 forever \(stuttering\)"\];$/m);
  });

  it('a safety trace has no back edge', async () => {
    const { text } = await dot('specs/livepatch/s6-force.yaml');
    assert.doesNotMatch(text, /style=dashed/);
  });
});

describe('colour', () => {
  it('only when asked for (a terminal without NO_COLOR): the breaking step in red', async () => {
    const plain = await run({ format: 'mail' }, false);
    const coloured = await run({ format: 'mail' }, true);
    assert.doesNotMatch(plain.text, /\x1b\[/);
    assert.match(coloured.text, /^\x1b\[1;31m=> {2}5 {2}parent forks child1 \(copy_process\)\x1b\[0m$/m);
  });
});
