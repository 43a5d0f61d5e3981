// What the administrator's `enable P` / `disable P` steps do at every point of
// a transition, as enabled_store() in kernel/livepatch/core.c decides:
//   patch->enabled == requested  -> -EINVAL (the step fails, nothing changes)
//   P is klp_transition_patch    -> klp_reverse_transition()
//   disable, P enabled           -> __klp_disable_patch() (-EBUSY: wait)
//   enable, P not enabled        -> -EINVAL ("Do not allow to re-enable a disabled patch")
// and `enable P` of a patch whose module is only loaded is klp_enable_patch().
// The scenarios have no task, so every transition may complete at once and
// the graphs are small enough to enumerate.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check } from '../../src/engine/bfs.ts';
import { instantiate } from '../../src/engine/spec.ts';
import { exploreGraph } from '../../src/engine/stateGraph.ts';
import { scenarioRun } from '../../src/cli/scenarioRun.ts';
import type { LivepatchState } from '../../src/livepatch/state.ts';
import { livepatchNarrator } from '../../src/report/livepatchNarrator.ts';
import { parseScenario } from '../../src/spec/loadScenario.ts';
import { KlpError } from '../../src/engine/errors.ts';

function graph(admin: string) {
  const text = ['title: admin writes', 'functions: { f: [] }', 'patches: [{ name: P, replaces: [f] }]', 'tasks: []', `admin: [${admin}]`, 'check: [transition-bookkeeping]'].join('\n');
  const model = instantiate(scenarioRun(parseScenario(text, 'admin.yaml'), undefined).spec);
  const g = exploreGraph(model, 1000)!;
  return { model, g, states: g.states as unknown as LivepatchState[] };
}

describe('admin writes to /sys/kernel/livepatch/P/enabled', () => {
  it('a second disable while P is being disabled is rejected (-EINVAL), never a reverse', () => {
    const { states } = graph('enable P, disable P, disable P');
    const afterThird = states.filter((s) => s.adminPc === 3);
    assert.ok(afterThird.length > 0, 'the third step must happen (rejected), not wait forever');
    // Old behaviour turned it into klp_reverse_transition(): P back in transition towards PATCHED.
    assert.ok(afterThird.every((s) => !(s.transitionPatch === 'P' && s.targetState === 'PATCHED')));
    // The rejected write leaves P being unpatched: that state is reachable.
    assert.ok(afterThird.some((s) => s.transitionPatch === 'P' && s.targetState === 'UNPATCHED'));
  });

  it('disable during the patching transition reverses it (as before)', () => {
    const { states } = graph('enable P, disable P');
    assert.ok(states.some((s) => s.adminPc === 2 && s.transitionPatch === 'P' && s.targetState === 'UNPATCHED' && s.patches.get('P')!.status === 'enabled'));
  });

  it('enable while P is being unpatched reverses the unpatching, as enabled_store() does', () => {
    const { states } = graph('enable P, disable P, enable P');
    assert.ok(states.some((s) => s.adminPc === 3 && s.transitionPatch === 'P' && s.targetState === 'PATCHED'));
  });

  it('enable of an enabled patch is rejected (-EINVAL) instead of waiting forever', () => {
    const { states } = graph('enable P, enable P');
    // Before: klp_enable_patch() needed a loaded module, so step 2 never happened.
    const done = states.filter((s) => s.adminPc === 2);
    assert.ok(done.length > 0);
    assert.ok(done.every((s) => s.patches.get('P')!.status === 'enabled'));
  });

  it('the narration says the write failed', () => {
    const { model, g } = graph('enable P, enable P');
    const edge = g.edges.find(([from, to, label]) => label === 'klp_enable_patch("P")' && (g.states[from] as unknown as LivepatchState).adminPc === 1 && to !== from)!;
    assert.ok(edge !== undefined);
    const prev = g.states[edge[0]] as unknown as LivepatchState;
    const next = g.states[edge[1]] as unknown as LivepatchState;
    const title = livepatchNarrator.step(prev, next, { name: 'klp_enable_patch', params: ['P'], label: edge[2] }).title;
    assert.equal(title, 'admin writes 1 to /sys/kernel/livepatch/P/enabled: -EINVAL (already enabled, or disabled for good), nothing changes');
    assert.equal(model.name, 'admin writes');
  });
});

describe('kthreads and fork', () => {
  const load = (loop: string) => () =>
    parseScenario(['title: t', 'functions:', '  f: [fork]', '  g: [call f]', 'tasks:', `  - { name: K, kind: kthread, loop: ${loop} }`, '  - { max-forked: 1 }', 'check: [I1]'].join('\n'), 'k.yaml');
  it('KLP240 when a kthread loop forks, at the step', () => {
    assert.throws(load('[call g, fork]'), (e: unknown) => {
      assert.ok(e instanceof KlpError);
      assert.equal(e.code, 'KLP240');
      assert.equal(e.message, 'kthread K may not fork: its loop calls g, which forks');
      // Line 6 is `  - { name: K, kind: kthread, loop: [call g, fork] }`; `call g` starts at column 38.
      assert.deepEqual(e.location, { file: 'k.yaml', line: 6, col: 38 });
      return true;
    });
  });
  it('a kthread loop without fork loads', () => {
    const sc = parseScenario(['title: t', 'functions:', '  f: [fork]', '  h: []', 'tasks:', '  - { name: K, kind: kthread, loop: [call h] }', 'check: [I1]'].join('\n'), 'k.yaml');
    assert.equal(sc.tasks[0]!.kind, 'kthread');
    assert.equal(check(instantiate(scenarioRun(sc, undefined).spec)).verdict, 'ok');
  });
});
