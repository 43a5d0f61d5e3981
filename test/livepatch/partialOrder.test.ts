// Partial-order reduction over task-local steps (--por, src/livepatch/partialOrder.ts).
// What makes a reduced count right is not the checker's own output but:
//   1. every bundled scenario and variant keeps its verdict, violated property
//      and vacuity warnings;
//   2. every trace found with --por replays step by step as a real behaviour
//      of the unreduced model (each step's action enabled, producing exactly
//      the next state) and its last state violates the property;
//   3. an independent brute-force cross-check, written here without bfs.ts:
//      the set of observations (each invariant's truth, each premise, each
//      cover goal) over all reachable states, and of changes of observation
//      along edges, is the same in the full graph and in the graph of the
//      ample sets (with the depth proviso).
// Counts are asserted exactly only for the workload built to show the
// reduction, justified by 1-3.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { is } from 'immutable';
import { check } from '../../src/engine/bfs.ts';
import { checkWithLiveness } from '../../src/engine/liveness/checkLiveness.ts';
import type { CheckResult } from '../../src/engine/result.ts';
import { instantiate, type Model } from '../../src/engine/spec.ts';
import { successorsOf } from '../../src/engine/successors.ts';
import { scenarioRun } from '../../src/cli/scenarioRun.ts';
import type { Scenario } from '../../src/livepatch/scenario.ts';
import type { LivepatchState } from '../../src/livepatch/state.ts';
import { loadScenario, parseScenario } from '../../src/spec/loadScenario.ts';
import { loadScenarioFile } from '../../src/spec/loadScenarioFile.ts';
import { livepatchSpec } from '../../src/livepatch/model.ts';
import { TASK_ACTIONS } from '../../src/livepatch/partialOrder.ts';
import { canon } from '../support/referenceExplorer.ts';
import { runCli } from '../support/runCli.ts';

type M = Model<LivepatchState>;
const modelOf = (sc: Scenario, variant: string | undefined, por: boolean): M => instantiate(scenarioRun(sc, variant, {}, { por }).spec) as unknown as M;

const bundled = (): { file: string; sc: Scenario; variant: string | undefined }[] =>
  readdirSync('specs/livepatch')
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((file) => {
      const sc = loadScenario(`specs/livepatch/${file}`);
      return [undefined, ...sc.variants.map((v) => v.name)].map((variant) => ({ file, sc, variant }));
    });

/** Three kthreads whose loops are mostly calls of unpatched functions: long task-local stretches. */
const WORKERS = [
  'title: three kthreads with long task-local stretches',
  'functions:',
  '  prepare: [call lookup, call lookup, call lookup]',
  '  lookup: [call leaf]',
  '  leaf: []',
  '  worker: [call f]',
  '  f: [sleep]',
  'patches:',
  '  - { name: P, replaces: [f] }',
  'tasks:',
  '  - { name: K1, kind: kthread, loop: [call prepare, call worker] }',
  '  - { name: K2, kind: kthread, loop: [call prepare, call worker] }',
  '  - { name: K3, kind: kthread, loop: [call prepare, call worker] }',
  'admin:',
  '  sequence: [enable P]',
  'check: [frames-agree-with-dispatch, stack-check-sound, patch-set-coherence, transition-bookkeeping, pending-consistency, completion-safety, free-safety]',
].join('\n');

/** One kthread under park-all (and variants): the freezer and kgr_task_safe() look at the top of its loop. */
const PARKED = [
  'title: a kthread parks at the top of its loop',
  'functions:',
  '  worker: [call f]',
  '  f: [sleep]',
  'patches:',
  '  - { name: P, replaces: [f] }',
  'tasks:',
  '  - { name: K, kind: kthread, loop: [call worker] }',
  'admin:',
  '  sequence: [enable P]',
  'rules: { model: park-all }',
  'check: [frames-agree-with-dispatch, free-safety]',
  'variants:',
  '  - { name: kgraft, rules: { model: kgraft } }',
  '  - { name: kpatch, rules: { model: kpatch } }',
].join('\n');

/** What the reduction must preserve about a state: every invariant, premise and cover goal. */
function observation(m: M, s: LivepatchState): string {
  const bits = [...m.invariants.map((i) => i.holds(s)), ...m.invariants.map((i) => i.premise?.(s) ?? true), ...(m.covers ?? []).map((c) => c.holds(s))];
  return bits.map((b) => (b ? '1' : '0')).join('');
}

/**
 * Every reachable state, breadth-first, without stopping at violations; what
 * is observed: each state's observation and each change of observation along
 * an edge ("a>b"), which the two graphs share when they are
 * stuttering-equivalent, as C0-C3 make them. With
 * `reduced`, a state whose ample set yields only states not seen at its depth
 * or less is expanded by the ample set alone (the engine's rule, written anew).
 */
function explore(m: M, reduced: boolean): { states: number; observed: Set<string> } {
  const depth = new Map<string, number>();
  const observed = new Set<string>();
  let level: LivepatchState[] = [];
  for (const s of m.initStates()) {
    if (depth.has(canon(s))) continue;
    depth.set(canon(s), 1);
    observed.add(observation(m, s));
    level.push(s);
  }
  for (let d = 1; level.length > 0; d++) {
    const next: LivepatchState[] = [];
    const add = (from: string, t: LivepatchState): void => {
      const to = observation(m, t);
      if (to !== from) observed.add(`${from}>${to}`);
      const k = canon(t);
      if (depth.has(k)) return;
      depth.set(k, d + 1);
      observed.add(to);
      next.push(t);
    };
    for (const s of level) {
      const amp = reduced ? m.ample?.(s) : undefined;
      const ampleOut = amp === undefined ? [] : amp.order.slice(0, amp.size).flatMap((a) => successorsOf(m.actions[a]!.next(s)));
      const forward = ampleOut.length > 0 && (amp!.cycleFree || ampleOut.every((t) => (depth.get(canon(t)) ?? d + 1) > d));
      const out = forward ? ampleOut : m.actions.flatMap((a) => successorsOf(a.next(s)));
      const from = observation(m, s);
      for (const t of out) add(from, t);
    }
    level = next;
  }
  return { states: depth.size, observed };
}

/** Null when the trace is a real behaviour of the unreduced model ending in a violation of its property; else what is wrong. */
function replayProblem(m: M, r: CheckResult<LivepatchState>): string | null {
  const v = r.violation!;
  const steps = v.trace.steps;
  if (!m.initStates().some((s) => is(s, steps[0]!.state))) return 'the first state is not initial';
  for (let i = 1; i < steps.length; i++) {
    const label = steps[i]!.action!.label;
    const action = m.actions.find((a) => a.label === label);
    if (action === undefined) return `step ${i + 1}: no action ${label}`;
    if (!successorsOf(action.next(steps[i - 1]!.state)).some((t) => is(t, steps[i]!.state))) return `step ${i + 1}: ${label} does not lead to the next state`;
  }
  const inv = m.invariants.find((x) => x.name === v.invariant!.name)!;
  return inv.holds(steps.at(-1)!.state) ? 'the last state does not violate the property' : null;
}

describe('partial-order reduction (--por)', () => {
  it('every bundled scenario and variant: same verdict, property and warnings; every trace replays and violates', () => {
    for (const { file, sc, variant } of bundled()) {
      const what = `${file} ${variant ?? ''}`;
      const a = check(modelOf(sc, variant, false));
      const m = modelOf(sc, variant, true);
      const b = check(m);
      assert.equal(b.partialOrder, true, what);
      assert.equal(b.verdict, a.verdict, what);
      assert.equal(b.violation?.invariant?.name, a.violation?.invariant?.name, what);
      assert.deepEqual(b.warnings, a.warnings, what);
      if (a.verdict === 'ok') assert.ok(b.stats.distinct <= a.stats.distinct, what); // the reduced graph is part of the full one
      if (b.violation !== undefined) {
        assert.equal(replayProblem(modelOf(sc, variant, false), b as CheckResult<LivepatchState>), null, what);
        // BFS over the reduced graph: shortest there, never shorter than the true shortest.
        assert.ok(b.violation.trace.steps.length >= a.violation!.trace.steps.length, what);
      }
    }
  });

  it('brute force, every bundled scenario and variant: the full and the reduced graph reach the same observations', () => {
    let fewer = 0;
    for (const { file, sc, variant } of bundled()) {
      const m = modelOf(sc, variant, true);
      const full = explore(m, false);
      const reduced = explore(m, true);
      assert.deepEqual([...reduced.observed].sort(), [...full.observed].sort(), `${file} ${variant ?? ''}`);
      assert.ok(reduced.states <= full.states);
      if (reduced.states < full.states) fewer++;
    }
    assert.ok(fewer >= 10, `only ${fewer} runs reduced`);
  });

  it('the proposals with plug-ins (specs/proposals): same verdicts, replaying traces, same observations', async () => {
    for (const file of ['specs/proposals/s1c-idle-lazy-fork.yaml', 'specs/proposals/s2-immediate-replace.yaml']) {
      const sc = await loadScenarioFile(file, []);
      for (const variant of [undefined, ...sc.variants.map((v) => v.name)]) {
        const what = `${file} ${variant ?? ''}`;
        const a = check(modelOf(sc, variant, false));
        const m = modelOf(sc, variant, true);
        const b = check(m);
        assert.equal(b.verdict, a.verdict, what);
        assert.equal(b.violation?.invariant?.name, a.violation?.invariant?.name, what);
        assert.deepEqual(b.warnings, a.warnings, what);
        if (b.violation !== undefined) assert.equal(replayProblem(modelOf(sc, variant, false), b as CheckResult<LivepatchState>), null, what);
        assert.deepEqual([...explore(m, true).observed].sort(), [...explore(m, false).observed].sort(), what);
      }
    }
  });

  it('park-all, kGraft, kpatch: a kthread at the top of its loop keeps the freezer and kgr_task_safe() possible', () => {
    // Were the kthread's `call worker` at the top of its loop ample, freeze_processes() would
    // never find it parked: the patch would never be applied (every cover goal missed).
    const sc = parseScenario(PARKED, 'parked.yaml');
    for (const variant of [undefined, 'kgraft', 'kpatch']) {
      const a = check(modelOf(sc, variant, false));
      const m = modelOf(sc, variant, true);
      const b = check(m);
      assert.equal(b.verdict, 'ok');
      assert.deepEqual(b.warnings, a.warnings, variant);
      assert.deepEqual(b.warnings.map((w) => w.code), ['KLP503'], variant); // free-safety: P is never freed, as without --por
      assert.deepEqual([...explore(m, true).observed].sort(), [...explore(m, false).observed].sort(), variant);
    }
  });

  it('a kthread spinning through unpatched code does not starve the others (no ample cycle)', () => {
    // K's whole loop is task-local; were its restart ample too, K alone would move for ever
    // from the initial state and the enable of P would never happen (every cover missed).
    const sc = parseScenario(
      ['title: spinning kthread', 'functions:', '  lookup: []', '  sys_read: [call f]', '  f: [sleep]', 'patches:', '  - { name: P, replaces: [f] }', 'tasks:', '  - { name: K, kind: kthread, loop: [call lookup] }', '  - { name: T, kind: user, syscalls: [sys_read] }', 'admin:', '  sequence: [enable P]', 'check: [frames-agree-with-dispatch, pending-consistency]'].join('\n'),
      'spin.yaml',
    );
    const a = check(modelOf(sc, undefined, false));
    const m = modelOf(sc, undefined, true);
    const b = check(m);
    assert.equal(b.verdict, 'ok');
    assert.deepEqual(b.warnings, a.warnings);
    assert.deepEqual([...explore(m, true).observed].sort(), [...explore(m, false).observed].sort());
  });

  it('every action with a task parameter t belongs to its task (partialOrder.ts keeps the list)', () => {
    const sc = loadScenario('bench/specs/mixed-workload.yaml');
    const withT = Object.entries(livepatchSpec(parseScenario(PARKED, 'parked.yaml'), { rules: { model: 'kgraft' } }).definition.actions)
      .concat(Object.entries(livepatchSpec(sc).definition.actions))
      .filter(([, a]) => typeof a === 'object' && 't' in a.params)
      .map(([name]) => name);
    assert.ok(withT.length >= 10);
    for (const name of withT) assert.ok(TASK_ACTIONS.has(name), name);
  });

  it('S6 (force): the trace with --por is one step longer than the shortest, a real behaviour still', () => {
    const sc = loadScenario('specs/livepatch/s6-force.yaml');
    const a = check(modelOf(sc, undefined, false));
    const b = check(modelOf(sc, undefined, true));
    // The reduced graph delays T's other moves behind its task-local steps: the shortest
    // violating path of the reduced graph has 5 steps where the full graph's has 4.
    assert.equal(a.violation!.trace.steps.length, 5);
    assert.equal(b.violation!.trace.steps.length, 6);
    assert.equal(b.violation!.invariant!.name, 'frames-agree-with-dispatch');
  });

  it('three kthreads with task-local stretches: 18,522 states become 1,790, observations preserved', () => {
    const sc = parseScenario(WORKERS, 'workers.yaml');
    const a = check(modelOf(sc, undefined, false));
    const m = modelOf(sc, undefined, true);
    const b = check(m);
    // Exact figures justified by: the same verdict (ok) and warnings as without, and the
    // brute-force cross-check below (same observations, same reduced size by a separate explorer).
    assert.equal(a.verdict, 'ok');
    assert.equal(b.verdict, 'ok');
    assert.deepEqual(b.warnings, a.warnings);
    assert.equal(a.stats.distinct, 18522);
    assert.equal(b.stats.distinct, 1790);
    const full = explore(m, false);
    const reduced = explore(m, true);
    assert.equal(full.states, 18522);
    assert.equal(reduced.states, 1790);
    assert.deepEqual([...reduced.observed].sort(), [...full.observed].sort());
  });

  it('liveness runs on the full graph: the S6 scenarios give the same temporal verdicts and graph sizes', () => {
    for (const file of ['s6-liveness.yaml', 's6-liveness-kthread.yaml']) {
      const sc = loadScenario(`specs/livepatch/${file}`);
      for (const variant of [undefined, ...sc.variants.map((v) => v.name)]) {
        const a = checkWithLiveness(modelOf(sc, variant, false));
        const b = checkWithLiveness(modelOf(sc, variant, true));
        assert.equal(b.verdict, a.verdict, `${file} ${variant ?? ''}`);
        assert.equal(b.liveness?.states, a.liveness?.states, `${file} ${variant ?? ''}`);
        assert.equal(b.violation?.trace.steps.length, a.violation?.trace.steps.length, `${file} ${variant ?? ''}`);
      }
    }
  });

  it('the command line: --por in the narrated and TLC headers and the JSON summary; not with --symmetry', () => {
    const S8 = 'specs/livepatch/s8-reverse.yaml';
    assert.match(runCli(['check', S8, '--por', '--no-timing']).stdout, /^Partial-order reduction: on \(safety; counts are of the reduced graph\)$/m);
    assert.match(runCli(['check', S8, '--por', '--format', 'tlc', '--no-timing']).stdout, /^Partial-order reduction: on/m);
    assert.doesNotMatch(runCli(['check', S8, '--no-timing']).stdout, /Partial-order/);
    const json = JSON.parse(runCli(['check', S8, '--por', '--format', 'json']).stdout) as { partialOrder?: boolean; verdict: string };
    assert.equal(json.partialOrder, true);
    assert.equal(json.verdict, 'ok');
    const both = runCli(['check', S8, '--por', '--symmetry']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /^error KLP301: --por and --symmetry cannot be combined \(yet\)$/m);
    assert.match(runCli(['check', '--help']).stdout, /--por +Scenario files: partial-order reduction/);
    const mail = runCli(['report', 'specs/livepatch/s6-force.yaml', '--por']).stdout;
    assert.match(mail, /^Verdict: {3}VIOLATED at step 6 \(shortest under --por, 6 states\)$/m);
    assert.match(mail, /--por \\\n +--format mail/);
  });
});
