// The four consistency models (rule `model`) on scenarios S4 and S5 of the
// livepatch rules reference (section 3), with the verdicts it gives, and the
// two caller-level properties. Every violation's trace length is counted by
// hand beside its assertion (a trace of n states is n - 1 steps; BFS must
// find exactly the shortest). Safe verdicts also assert that the model's
// switching action fired, so "safe" is never the absence of a patch.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { List, Map as IMap } from 'immutable';
import { check } from '../../src/engine/bfs.ts';
import { isKlpError } from '../../src/engine/errors.ts';
import type { CheckResult } from '../../src/engine/result.ts';
import { instantiate } from '../../src/engine/spec.ts';
import { scenarioRun } from '../../src/cli/scenarioRun.ts';
import { callerConsistency, dataSemantics, formatTables } from '../../src/livepatch/callerProperties.ts';
import { livepatchSpec, type LivepatchSpec } from '../../src/livepatch/model.ts';
import { propertyNamed } from '../../src/livepatch/properties.ts';
import { FuncEntry, Frame, LivepatchState, Task } from '../../src/livepatch/state.ts';
import { loadScenario, parseScenario } from '../../src/spec/loadScenario.ts';

function run(file: string, variant?: string): CheckResult {
  return check(instantiate(scenarioRun(loadScenario(`specs/livepatch/${file}`), variant).spec));
}

/**
 * Whether a reachable state satisfies the premise of the scenario's only
 * property: the same search with "the premise never holds" as its invariant
 * finds a counterexample. A safe verdict without it would be hollow.
 */
function premiseReached(file: string, variant?: string, noAdmin = false): boolean {
  const scenario = loadScenario(`specs/livepatch/${file}`);
  const prop = propertyNamed(scenario.check[0]!)!.bind!(scenario);
  const spec = noAdmin ? livepatchSpec(scenario, { admin: { sequence: [], anytime: new Set() } }) : (scenarioRun(scenario, variant).spec as unknown as LivepatchSpec);
  const def = { ...spec.definition, invariants: { premise: { description: prop.premiseText!, holds: (st: LivepatchState) => !prop.premise!(st) } } };
  return check(instantiate({ ...spec, definition: def })).verdict === 'invariant';
}

function violated(r: CheckResult, property: string, states: number): void {
  assert.equal(r.verdict, 'invariant', `expected ${property} violated, got ${r.verdict}`);
  assert.equal(r.violation!.invariant!.name, property);
  assert.equal(r.violation!.trace.steps.length, states);
}

function fired(r: CheckResult, action: string): boolean {
  const c = r.coverage.find((x) => x.action === action);
  return c !== undefined && c.generated > 0;
}

/** Safe after a complete search, and the model's own switching actions did fire. */
function safe(r: CheckResult, ...mustFire: string[]): void {
  assert.equal(r.verdict, 'ok', r.violation?.invariant?.detail ?? r.verdict);
  assert.equal(r.stats.queueLeft, 0);
  for (const action of mustFire) assert.ok(fired(r, action), `${action} never fired`);
}

const UPSTREAM = ['klp_enable_patch', 'klp_try_switch_task', 'klp_complete_transition'];
const KGRAFT = ['kgr_modify_kernel', 'kgr_finalize'];

describe('S4 loop mixing: caller-consistency of c = [call bar, call something_else, call bar]', () => {
  // 1 init, 2 T enters c, 3 calls bar@orig, 4 returns, 5 calls
  // something_else, 6 sleeps in it, 7 enable P (T UNPATCHED, pending),
  // 8 klp_try_switch_task(T): its stack c@orig > something_else@orig holds
  // no function of P, T switches to PATCHED, 9 wakes, 10 returns to c,
  // 11 calls bar@P: one activation of c called bar@orig then bar@P.
  it('upstream: violated in 11 states', () => violated(run('s4-loop-mixing.yaml'), 'caller-consistency', 11));
  // c in the patch: c@orig on T's stack blocks every switch inside c.
  it('upstream, c added to the patch: safe', () => safe(run('s4-loop-mixing.yaml', 'upstream-c-in-patch'), ...UPSTREAM));
  // 1 init, 2 T enters c, 3 calls bar@orig, 4 returns, 5 calls
  // something_else, 6 sleeps, 7 wakes, 8 returns to c, 9 stop_machine
  // (kpatch_apply_patch): bar is on no stack, everyone switches, 10 calls
  // bar@P. The apply may come anywhere between 4 and 10: always 9 steps.
  it('kpatch: violated in 10 states', () => violated(run('s4-loop-mixing.yaml', 'kpatch'), 'caller-consistency', 10));
  // c in the patch: c on the stack fails the activeness check all through c.
  it('kpatch, c added to the patch: safe', () => safe(run('s4-loop-mixing.yaml', 'kpatch-c-in-patch'), 'kpatch_apply_patch'));
  // T stays in the old universe for the whole system call.
  it('kgraft: safe', () => safe(run('s4-loop-mixing.yaml', 'kgraft'), ...KGRAFT));
  // T can be parked only in user space, outside c.
  it('park-all: safe', () => safe(run('s4-loop-mixing.yaml', 'park-all'), 'freeze_processes'));
});

describe('S5 data semantics: foo = call bar; call something_else; call baz(foo)', () => {
  // 1 init, 2 T enters c, 3 calls bar@orig, 4 returns (foo = bar@orig),
  // 5 calls something_else, 6 sleeps, 7 enable P, 8 klp_try_switch_task(T)
  // (c and something_else are not in P), 9 wakes, 10 returns to c,
  // 11 calls baz@P with foo in format orig; baz@P accepts only new.
  it('upstream: violated in 11 states', () => violated(run('s5-data-semantics.yaml'), 'data-semantics', 11));
  it('upstream, c in the patch: safe', () => safe(run('s5-data-semantics.yaml', 'upstream-c-in-patch'), ...UPSTREAM));
  // 1 init, 2 enters c, 3 bar@orig, 4 returns, 5 something_else, 6 sleeps,
  // 7 wakes, 8 returns, 9 kpatch_apply_patch (neither bar nor baz on a
  // stack), 10 calls baz@P with bar@orig's value.
  it('kpatch: violated in 10 states', () => violated(run('s5-data-semantics.yaml', 'kpatch'), 'data-semantics', 10));
  it('kgraft: safe', () => safe(run('s5-data-semantics.yaml', 'kgraft'), ...KGRAFT));
  it('park-all: safe', () => safe(run('s5-data-semantics.yaml', 'park-all'), 'freeze_processes'));
});

describe('S5 band-aid: P1 (baz accepts both formats), then P2 (bar changes format)', () => {
  it('upstream: safe', () => safe(run('s5-band-aid.yaml'), ...UPSTREAM));
  it('kpatch: safe', () => safe(run('s5-band-aid.yaml', 'kpatch'), 'kpatch_apply_patch'));
  it('kgraft: safe', () => safe(run('s5-band-aid.yaml', 'kgraft'), ...KGRAFT));
  it('park-all: safe', () => safe(run('s5-band-aid.yaml', 'park-all'), 'freeze_processes'));
  // Without the band-aid's first step (P2 alone changes bar; baz keeps
  // accepting orig only), the value reaches an unchanged baz: 1 init,
  // 2 enable P2, 3 klp_try_switch_task(T) in user space (PATCHED), 4 T
  // enters c, 5 calls bar@P2, 6 returns (foo in format new), 7 calls
  // something_else, 8 sleeps, 9 wakes, 10 returns, 11 calls baz@orig, which
  // accepts only orig. (T cannot switch inside c before bar: it would have
  // to sleep first.)
  it('the second step alone: violated in 11 states', () => {
    const text = `title: P2 alone
functions:
  c: [foo = call bar, call something_else, call baz(foo)]
  bar: []
  baz: []
  something_else: [sleep]
patches:
  - { name: P2, replaces: [bar], formats: { bar: new } }
tasks:
  - { name: T, kind: user, syscalls: [c] }
admin: [enable P2]
check: [data-semantics]
`;
    violated(check(instantiate(livepatchSpec(parseScenario(text, 'p2.yaml')))), 'data-semantics', 11);
  });
});

describe('no safe verdict above is hollow: the property\'s premise is reached', () => {
  const cases: [string, string | undefined][] = [
    ['s4-loop-mixing.yaml', 'upstream-c-in-patch'],
    ['s4-loop-mixing.yaml', 'kpatch-c-in-patch'],
    ['s4-loop-mixing.yaml', 'kgraft'],
    ['s4-loop-mixing.yaml', 'park-all'],
    ['s5-data-semantics.yaml', 'upstream-c-in-patch'],
    ['s5-data-semantics.yaml', 'kgraft'],
    ['s5-data-semantics.yaml', 'park-all'],
    ['s5-band-aid.yaml', undefined],
    ['s5-band-aid.yaml', 'kpatch'],
    ['s5-band-aid.yaml', 'kgraft'],
    ['s5-band-aid.yaml', 'park-all'],
  ];
  for (const [file, variant] of cases) it(`${file} ${variant ?? '(base)'}`, () => assert.ok(premiseReached(file, variant)));
  // With no patch ever enabled there is nothing to check: the premise must say so.
  it('and is not reached when no patch is ever enabled', () => {
    assert.equal(premiseReached('s4-loop-mixing.yaml', undefined, true), false);
    assert.equal(premiseReached('s5-data-semantics.yaml', undefined, true), false);
  });
});

describe('kthreads under the global models and kGraft', () => {
  // k loops [call f, sleep]; P replaces f. No model leaves k with a stale
  // f frame (I1), and each model's kthread safe point fires.
  const text = (model: string): string => `title: kthread
rules: { model: ${model} }
functions:
  f: []
patches:
  - { name: P, replaces: [f] }
tasks:
  - { name: k, kind: kthread, loop: [call f, sleep] }
admin: [enable P]
check: [frames-agree-with-dispatch, free-safety]
`;
  const go = (model: string): CheckResult => check(instantiate(livepatchSpec(parseScenario(text(model), 'k.yaml'))));
  it('kgraft: safe, k switched by kgr_task_safe()', () => safe(go('kgraft'), 'kgr_task_safe', ...KGRAFT));
  it('kpatch: safe', () => safe(go('kpatch'), 'kpatch_apply_patch'));
  it('park-all: safe, k parked at the top of its loop', () => safe(go('park-all'), 'freeze_processes'));
});

describe('models: what does not fit is refused', () => {
  it('KLP220 force under kpatch, reverse under park-all', () => {
    const sc = loadScenario('specs/livepatch/s6-force.yaml');
    assert.throws(() => livepatchSpec(sc, { rules: { model: 'kpatch' } }), (e: unknown) => isKlpError(e) && e.code === 'KLP220' && e.message === 'model kpatch does not model the anytime admin actions force, signal');
    const seq = { sequence: [{ kind: 'enable' as const, patch: 'P' }, { kind: 'reverse' as const }], anytime: new Set<never>() };
    assert.throws(() => livepatchSpec(sc, { rules: { model: 'park-all' }, admin: seq }), (e: unknown) => isKlpError(e) && e.code === 'KLP220' && e.message.startsWith('model park-all has no "reverse"'));
  });
});

describe('caller-level properties on hand-built states', () => {
  const sc = loadScenario('specs/livepatch/s4-loop-mixing.yaml');
  const cc = callerConsistency.bind!(sc);
  const withFrame = (calls: string, patched: boolean): LivepatchState =>
    LivepatchState({
      tasks: IMap({ T: Task({ mode: 'kernel', stack: List([Frame({ fn: 'c', calls: IMap({ bar: calls }) })]) }) }),
      funcStack: patched ? IMap({ bar: List([FuncEntry({ patch: 'P' })]) }) : IMap(),
    });
  it('caller-consistency: one version holds, two are a violation', () => {
    assert.equal(cc.violation(withFrame('orig', true)), undefined);
    assert.equal(cc.violation(withFrame('orig,P', true)), "T's activation of c@orig called bar@orig and then bar@P: one invocation of c mixed versions of bar");
  });
  it('caller-consistency premise: a named caller called a function whose func stack is not empty', () => {
    assert.equal(cc.premise!(withFrame('orig', true)), true);
    assert.equal(cc.premise!(withFrame('orig', false)), false);
  });
  it('unbound, the properties check nothing (klpcheck rules lists them)', () => {
    assert.equal(callerConsistency.violation(withFrame('orig,P', true)), undefined);
    assert.equal(dataSemantics.violation(withFrame('orig,P', true)), undefined);
  });
  it('formats: declared per patch, inherited from the latest earlier patch, else orig', () => {
    const t = formatTables(loadScenario('specs/livepatch/s5-band-aid.yaml'));
    assert.equal(t.produces('bar', 'orig'), 'orig');
    assert.equal(t.produces('bar', 'P2'), 'new');
    assert.deepEqual(t.accepts('baz', 'orig'), ['orig']);
    assert.deepEqual(t.accepts('baz', 'P1'), ['orig', 'new']);
    const chain = parseScenario(
      `title: t
functions: { f: [] }
patches:
  - { name: A, replaces: [f], formats: { f: v2 } }
  - { name: B, replaces: [f] }
tasks: []
check: [data-semantics]
`,
      't.yaml',
    );
    assert.equal(formatTables(chain).produces('f', 'B'), 'v2', 'B replaces f without saying: it keeps A\'s format');
  });
});
