// Constants as TLC has them: sets are sets (duplicates collapse, TLC's order),
// model values and sets of sets are values, and an override is type-checked
// deeply against the default (KLP106 naming the path inside the value).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Set as ISet, is } from 'immutable';
import { bindConstants, compareConstants, formatConstant, type ConstantValue } from '../../src/engine/constants.ts';
import { KlpError } from '../../src/engine/errors.ts';
import { fingerprint, fpHi, fpLo } from '../../src/engine/fingerprint.ts';
import { isModelValue, modelValue, modelValues } from '../../src/engine/modelValue.ts';
import { formatValue } from '../../src/engine/tlaText.ts';
import { parseConstantValue } from '../../src/cli/parseConstants.ts';
import twophase from '../../specs/examples/twophase.ts';
import tokenGroups from '../fixtures/tokenGroups.ts';
import { checkSpec } from '../support/checkSpec.ts';

const mv = modelValue;

function fp(v: unknown): string {
  fingerprint(v);
  return `${fpHi}:${fpLo}`;
}

function klp(f: () => unknown): KlpError {
  try {
    f();
  } catch (e) {
    if (e instanceof KlpError) return e;
    throw e;
  }
  assert.fail('expected a KlpError');
}

// TwoPhase with RM = {r1}, counted by hand (states written rmState/tmState/tmPrepared/msgs,
// w p c a = working prepared committed aborted; P C A = Prepared(r1) Commit Abort):
//  depth 1: S1 (w,init,{},{})                -> TMAbort S2, RMPrepare S3, RMChooseToAbort S4   3 generated
//  depth 2: S2 (w,aborted,{},{A})            -> RMPrepare S5, RMChooseToAbort S6, RMRcvAbortMsg S6   3
//           S3 (p,init,{},{P})               -> TMAbort S5 (dup), TMRcvPrepared S7                   2
//           S4 (a,init,{},{})                -> TMAbort S6 (dup)                                     1
//  depth 3: S5 (p,aborted,{},{A,P})          -> RMRcvAbortMsg S8                                     1
//           S6 (a,aborted,{},{A})            -> RMRcvAbortMsg S6 (itself)                            1
//           S7 (p,init,{r1},{P})             -> TMCommit S9, TMAbort S10, TMRcvPrepared S7 (itself)  3
//  depth 4: S8 -> itself 1; S9 -> RMRcvCommitMsg S11 1; S10 -> RMRcvAbortMsg S12 1
//  depth 5: S11 -> itself 1; S12 -> itself 1
// 12 distinct, 1 initial + 19 = 20 generated, depth 5.
const TWOPHASE_ONE_RM = { distinct: 12, generated: 20, depth: 5 };

function figures(r: { stats: { distinct: number; generated: number; depth: number } }): { distinct: number; generated: number; depth: number } {
  return { distinct: r.stats.distinct, generated: r.stats.generated, depth: r.stats.depth };
}

describe('sets are sets', () => {
  it('TwoPhase with RM = {r1} has the hand-counted figures', () => {
    assert.deepEqual(figures(checkSpec(twophase, { constants: { RM: ['r1'] } })), TWOPHASE_ONE_RM);
  });

  it('RM = {r1, r1} is RM = {r1} (given as strings and as model values from the command line)', () => {
    // Before sets were deduplicated, TMCommit compared |tmPrepared| = 1 with a 2-element RM and never fired.
    assert.deepEqual(figures(checkSpec(twophase, { constants: { RM: ['r1', 'r1'] } })), TWOPHASE_ONE_RM);
    assert.deepEqual(figures(checkSpec(twophase, { constants: { RM: parseConstantValue('{r1, r1}') } })), TWOPHASE_ONE_RM);
  });

  it('binding sorts and deduplicates sets, defaults included, in TLC order', () => {
    const b = bindConstants('T', { S: ['b', 'a', 'b'], N: [3, 1, 2, 1], G: [modelValues('c', 'b', 'a'), modelValues('d')] }, {});
    assert.deepEqual(b.S, ['a', 'b']);
    assert.deepEqual(b.N, [1, 2, 3]);
    // SetEnumValue.compareTo: a smaller set first, then element by element.
    assert.equal(formatConstant(b.G!), '{{d}, {a, b, c}}');
    assert.ok(Object.isFrozen(b.S));
  });

  it('TLC order: model values first and by name, sets by size then elements', () => {
    const vals: ConstantValue[] = ['x', 2, mv('b'), [1, 2], [3], true, mv('a'), [0, 5]];
    assert.equal(formatConstant(vals), '{a, b, TRUE, 2, "x", {3}, {0, 5}, {1, 2}}');
    assert.ok(compareConstants([mv('z')], [mv('a'), mv('b')]) < 0);
    assert.equal(compareConstants([1, 2], [2, 1]), 0);
  });

  it('sets of sets in a state print in the same order', () => {
    assert.equal(formatValue(ISet([ISet(['a', 'b']), ISet(['c'])])), '{{"c"}, {"a", "b"}}');
    assert.equal(formatValue(ISet([ISet([2, 3]), ISet([1, 4])])), '{{1, 4}, {2, 3}}');
  });
});

describe('model values', () => {
  it('are interned, equal only to themselves, and print bare', () => {
    assert.equal(mv('r1'), mv('r1'));
    assert.ok(isModelValue(mv('r1')) && !isModelValue('r1'));
    assert.ok(is(ISet([mv('r2'), mv('r1')]), ISet(modelValues('r1', 'r2'))));
    assert.ok(!is(ISet([mv('r1')]), ISet(['r1'])));
    assert.equal(formatValue(ISet([mv('r2'), mv('r1')])), '{r1, r2}');
    assert.equal(JSON.stringify({ RM: modelValues('r1') }), '{"RM":["r1"]}');
    assert.throws(() => mv('not a name'), TypeError);
  });

  it('fingerprint apart from the string of the same name', () => {
    assert.notEqual(fp(mv('r1')), fp('r1'));
    assert.equal(fp(ISet([mv('r1'), mv('r2')])), fp(ISet([mv('r2'), mv('r1')])));
  });

  it('and sets of sets of them check: TokenGroups, counted by hand', () => {
    // 3 holders x 3 groups ({}, {c}, {a, b}) = 9 states, all reachable. Each state
    // enables Pass to the 2 other processes, and Join to the groups it is not in:
    // 2 from group {}, 1 otherwise. Generated = 1 initial + 3*(2+2) + 6*(2+1) = 31.
    // Depth: (p1, {}) is 1; one Pass or one Join gives depth 2; both, depth 3.
    assert.deepEqual(figures(checkSpec(tokenGroups)), { distinct: 9, generated: 31, depth: 3 });
    // Procs = {p1, p1, p2}: 2 holders x 3 groups = 6 states;
    // generated = 1 + 2*(1+2) + 4*(1+1) = 15; depth still 3.
    const r = checkSpec(tokenGroups, { constants: { Procs: parseConstantValue('{p1, p1, p2}') } });
    assert.deepEqual(figures(r), { distinct: 6, generated: 15, depth: 3 });
  });
});

describe('deep type checks', () => {
  it('a set of numbers where a set of strings is declared names the element', () => {
    const e = klp(() => bindConstants('TwoPhase', { RM: ['r1'] }, { RM: [1, 2] }));
    assert.equal(e.code, 'KLP106');
    assert.equal(e.message, 'constant RM of spec TwoPhase at RM[1]: expected a string, got the integer 1 (RM takes a set of strings)');
  });

  it('inside a set of sets of model values', () => {
    const e = klp(() => bindConstants('T', { G: [modelValues('a')] }, { G: parseConstantValue('{{a}, {b, 1}}') }));
    assert.equal(e.code, 'KLP106');
    assert.equal(e.message, 'constant G of spec T at G[2][2]: expected a model value, got the integer 1 (G takes a set of sets of model values)');
  });

  it('a quoted string where model values are declared is not a model value', () => {
    const e = klp(() => bindConstants('T', { P: modelValues('p1') }, { P: parseConstantValue('{"p1"}') }));
    assert.equal(e.message, 'constant P of spec T at P[1]: expected a model value, got the string "p1" (P takes a set of model values)');
  });

  it('a bare name where a string is declared is that string', () => {
    assert.deepEqual(bindConstants('T', { who: 'bob', RM: ['r1'] }, { who: mv('alice'), RM: parseConstantValue('{r2, r1}') }), { who: 'alice', RM: ['r1', 'r2'] });
  });

  it('records: fields and their types', () => {
    const defaults = { Cfg: { size: 2, names: ['x'] } };
    assert.deepEqual(bindConstants('T', defaults, { Cfg: parseConstantValue('[size |-> 3, names |-> {y, x, y}]') }), { Cfg: { size: 3, names: ['x', 'y'] } });
    const wrong = klp(() => bindConstants('T', defaults, { Cfg: parseConstantValue('[size |-> 3, names |-> {1}]') }));
    assert.equal(wrong.message, 'constant Cfg of spec T at Cfg.names[1]: expected a string, got the integer 1 (Cfg takes a record [size: an integer, names: a set of strings])');
    const missing = klp(() => bindConstants('T', defaults, { Cfg: parseConstantValue('[size |-> 3]') }));
    assert.equal(missing.message, 'constant Cfg of spec T: expected a record [size: an integer, names: a set of strings], got the record [size |-> 3], with no field names');
  });

  it('a default set mixing element shapes accepts an element of any of them', () => {
    const defaults = { M: [[1], ['a']] };
    assert.deepEqual(bindConstants('T', defaults, { M: parseConstantValue('{{"b"}, {2, 1}}') }), { M: [['b'], [1, 2]] });
    assert.equal(
      klp(() => bindConstants('T', defaults, { M: parseConstantValue('{{TRUE}}') })).message,
      'constant M of spec T at M[1][1]: expected an integer, got the boolean TRUE (M takes a set of sets of integers or sets of strings)',
    );
  });

  it('a whole value of another kind', () => {
    assert.equal(klp(() => bindConstants('Counter', { N: 10 }, { N: parseConstantValue('{a, b}') })).message, 'constant N of spec Counter: expected an integer, got the set {a, b}');
  });

  it('a default that is no constant value is a malformed spec (KLP104)', () => {
    const e = klp(() => bindConstants('T', { S: [1, undefined] as unknown as ConstantValue }, {}));
    assert.equal(e.code, 'KLP104');
    assert.equal(e.message, 'the default of constant S of spec T holds undefined at S[2]');
  });
});

describe('--const values', () => {
  it('parse model values, sets of sets, records, strings and integers', () => {
    assert.deepEqual(parseConstantValue('{{a, b}, {c}}'), [[mv('a'), mv('b')], [mv('c')]]);
    assert.deepEqual(parseConstantValue('[a |-> 1, b |-> "x y", c |-> {}]'), { a: 1, b: 'x y', c: [] });
    assert.deepEqual(parseConstantValue(' -3 '), -3);
    assert.deepEqual(parseConstantValue('"a\\"b"'), 'a"b');
    assert.deepEqual(parseConstantValue('[1, 2]'), [1, 2]);
    assert.equal(parseConstantValue('v5.10-rc1'), 'v5.10-rc1');
    assert.equal(parseConstantValue('TRUE'), true);
  });

  it('refuse nesting deeper than 64 rather than overflow the stack', () => {
    assert.equal((parseConstantValue(`${'{'.repeat(64)}${'}'.repeat(64)}`) as readonly unknown[]).length, 1);
    const e = klp(() => parseConstantValue('{'.repeat(100_000)));
    assert.equal(e.code, 'KLP106');
    assert.match(e.message, /values nest at most 64 deep at column 65,/);
  });

  it('fail with the column of the flag', () => {
    const e = klp(() => parseConstantValue('{a, {b}', 'S={a, {b}', 2));
    assert.equal(e.code, 'KLP106');
    assert.equal(e.message, 'cannot read --const S={a, {b}: expected "," or "}" in a set opened with "{" at column 10, found the end');
  });
});
