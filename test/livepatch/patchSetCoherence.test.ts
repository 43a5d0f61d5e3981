// patch-set-coherence (PS, docs/properties.md) is checked on every state, so
// it decides "mixes both sides" without building the texts that name the
// sides; the texts are made only for the message. Here the property is
// compared, on every reachable state of scenarios that run transitions, with
// its definition written out as the report words it: per live task, a Map
// from each call's and frame's text to its side, violated when the Map holds
// both sides.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { instantiate } from '../../src/engine/spec.ts';
import { exploreGraph } from '../../src/engine/stateGraph.ts';
import { scenarioRun } from '../../src/cli/scenarioRun.ts';
import { dispatch, entryIndex } from '../../src/livepatch/dispatch.ts';
import { propertyNamed } from '../../src/livepatch/properties.ts';
import { frameText, type LivepatchState } from '../../src/livepatch/state.ts';
import { parseScenario } from '../../src/spec/loadScenario.ts';

/** The definition: the task names that mix both sides, in the tasks' order. */
function mixing(s: LivepatchState): string[] {
  const tp = s.transitionPatch;
  if (tp === '') return [];
  const out: string[] = [];
  for (const [name, t] of s.tasks) {
    if (t.status !== 'alive') continue;
    const sides = new Map<string, string>();
    for (const [fn, stack] of s.funcStack) {
      if (entryIndex(stack, tp) !== 0) continue;
      const runs = dispatch(s, t.patchState, fn);
      const newVersion = dispatch(s, 'PATCHED', fn);
      sides.set(`calls to ${fn} go to ${fn}@${runs}`, runs === newVersion ? 'new' : 'old');
      for (const f of t.stack) if (f.fn === fn) sides.set(`frame ${frameText(f)}`, f.version === newVersion ? 'new' : 'old');
    }
    if (new Set(sides.values()).size > 1) out.push(name);
  }
  return out;
}

const SCENARIOS = [
  'specs/livepatch/s7-atomic-replace.yaml',
  'specs/livepatch/s8-reverse.yaml',
  'specs/livepatch/s4-loop-mixing.yaml',
  'specs/livepatch/s6-force.yaml',
  'specs/livepatch/s2-immediate.yaml',
];

describe('patch-set-coherence against its definition', () => {
  let mixed = 0;
  const property = propertyNamed('patch-set-coherence')!;
  for (const file of SCENARIOS) {
    it(`${file}: every reachable state, the same verdict and the first mixing task named`, () => {
      const model = instantiate(scenarioRun(parseScenario(readFileSync(file, 'utf8'), file), undefined).spec);
      const g = exploreGraph(model, 50_000)!;
      assert.ok(g.states.length > 20, `${file}: ${g.states.length} states`);
      let inTransition = 0;
      let violations = 0;
      for (const s of g.states as LivepatchState[]) {
        if (s.transitionPatch !== '') inTransition++;
        const expected = mixing(s);
        const got = property.violation(s);
        assert.equal(got === undefined, expected.length === 0, file);
        if (got !== undefined) {
          violations++;
          assert.ok(got.startsWith(`${expected[0]} mixes `), got);
        }
      }
      // Not vacuous: the scenario spends states inside a transition.
      assert.ok(inTransition > 0, file);
      mixed += violations;
    });
  }
  it('some of those states mix both sides (S6: force leaves T PATCHED in f@orig, its calls going to f@P)', () => {
    assert.ok(mixed > 0);
  });
});
