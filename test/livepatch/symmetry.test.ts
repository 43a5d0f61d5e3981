// Symmetry reduction over interchangeable tasks (--symmetry): the number of
// states the search stores must equal the number of symmetry classes of the
// full state graph, counted here independently by brute force (every
// permutation of the interchangeable names, smallest text wins), and every
// bundled scenario keeps its verdict and shortest-trace length.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { check } from '../../src/engine/bfs.ts';
import type { CheckResult } from '../../src/engine/result.ts';
import { instantiate } from '../../src/engine/spec.ts';
import { exploreGraph } from '../../src/engine/stateGraph.ts';
import { formatValue } from '../../src/engine/tlaText.ts';
import { scenarioRun } from '../../src/cli/scenarioRun.ts';
import type { LivepatchState } from '../../src/livepatch/state.ts';
import { loadScenario, parseScenario } from '../../src/spec/loadScenario.ts';
import type { Scenario } from '../../src/livepatch/scenario.ts';

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

/** Renamings of the group members: every product of permutations within each group. */
function renamings(groups: readonly (readonly string[])[]): Map<string, string>[] {
  let out: Map<string, string>[] = [new Map()];
  for (const g of groups) {
    out = out.flatMap((m) => permutations(g).map((p) => new Map([...m, ...g.map((name, i) => [name, p[i]!] as const)])));
  }
  return out;
}

function textUnder(s: LivepatchState, rename: Map<string, string>): string {
  const tasks = [...s.tasks].map(([name, t]) => [rename.get(name) ?? name, formatValue(t.set('parent', rename.get(t.parent) ?? t.parent))]).sort();
  const rest = formatValue(s.set('tasks', s.tasks.clear()).set('completedWithout', s.completedWithout.map((n) => rename.get(n) ?? n)));
  return JSON.stringify([tasks, rest]);
}

function classes(sc: Scenario, groups: readonly (readonly string[])[]): number {
  const g = exploreGraph(instantiate(scenarioRun(sc, undefined).spec), 20_000)!;
  const all = renamings(groups);
  return new Set((g.states as unknown as LivepatchState[]).map((s) => all.map((r) => textUnder(s, r)).sort()[0])).size;
}

const run = (sc: Scenario, variant: string | undefined, symmetry: boolean): CheckResult => check(instantiate(scenarioRun(sc, variant, {}, { symmetry }).spec));

describe('symmetry reduction', () => {
  it('S8 (T1 and T2 run the same program): one state per class of the full graph', () => {
    const sc = loadScenario('specs/livepatch/s8-reverse.yaml');
    const full = run(sc, undefined, false);
    const reduced = run(sc, undefined, true);
    assert.equal(reduced.verdict, 'ok');
    assert.equal(reduced.stats.distinct, classes(sc, [['T1', 'T2']]));
    assert.ok(reduced.stats.distinct < full.stats.distinct);
  });

  it('two identical forking tasks and two child slots: classes under both renamings', () => {
    const sc = parseScenario(
      ['title: two forkers', 'functions:', '  sys_clone: [call kernel_clone]', '  kernel_clone: [fork]', 'tasks:', '  - { name: A, kind: user, syscalls: [sys_clone] }', '  - { name: B, kind: user, syscalls: [sys_clone] }', '  - { max-forked: 2 }', 'check: [I1]'].join('\n'),
      'forkers.yaml',
    );
    const reduced = run(sc, undefined, true);
    assert.equal(reduced.verdict, 'ok');
    assert.equal(reduced.stats.distinct, classes(sc, [['A', 'B'], ['child1', 'child2']]));
  });

  it('every bundled scenario and variant: same verdict, property and shortest trace length', () => {
    for (const file of readdirSync('specs/livepatch').filter((f) => f.endsWith('.yaml'))) {
      const sc = loadScenario(`specs/livepatch/${file}`);
      for (const variant of [undefined, ...sc.variants.map((v) => v.name)]) {
        const a = run(sc, variant, false);
        const b = run(sc, variant, true);
        const what = `${file} ${variant ?? ''}`;
        assert.equal(b.verdict, a.verdict, what);
        assert.equal(b.violation?.invariant?.name, a.violation?.invariant?.name, what);
        assert.equal(b.violation?.trace.steps.length, a.violation?.trace.steps.length, what);
        assert.ok(b.stats.distinct <= a.stats.distinct, what);
      }
    }
  });
});
