// ITF JSON as Apalache ADR-015 defines it and Quint writes it: #meta, vars,
// states with #meta.index, integers as #bigint, #set, #map, records as objects.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { List, Map as IMap, Record, Set as ISet } from 'immutable';
import { toItf, toItfValue } from '../../src/report/itf.ts';
import diehard from '../../specs/examples/diehard.ts';
import { checkSpec } from '../support/checkSpec.ts';

describe('ITF', () => {
  it('encodes every value kind', () => {
    const R = Record({ f: 1, g: 'x' });
    assert.deepEqual(toItfValue(7), { '#bigint': '7' });
    assert.deepEqual(toItfValue(-12n), { '#bigint': '-12' });
    assert.deepEqual(toItfValue('r1'), 'r1');
    assert.deepEqual(toItfValue(false), false);
    assert.deepEqual(toItfValue(List([1, 2])), [{ '#bigint': '1' }, { '#bigint': '2' }]);
    assert.deepEqual(toItfValue(ISet(['b', 'a'])), { '#set': ['a', 'b'] });
    assert.deepEqual(toItfValue(IMap([[2, 'y'], [1, 'x']])), { '#map': [[{ '#bigint': '1' }, 'x'], [{ '#bigint': '2' }, 'y']] });
    assert.deepEqual(toItfValue(R()), { f: { '#bigint': '1' }, g: 'x' });
  });

  it('writes the DieHard trace with meta, vars and indexed states', () => {
    const r = checkSpec(diehard);
    const itf = toItf(r.violation!.trace, { source: 'specs/examples/diehard.ts', status: 'violation', description: 'invariant NotSolved violated' });
    assert.equal(itf['#meta'].format, 'ITF');
    assert.deepEqual(itf.vars, ['big', 'small']);
    assert.equal(itf.states.length, 7);
    assert.deepEqual(itf.states[0], { '#meta': { index: 0 }, big: { '#bigint': '0' }, small: { '#bigint': '0' } });
    assert.deepEqual(itf.states[6], { '#meta': { index: 6, action: 'BigToSmall' }, big: { '#bigint': '4' }, small: { '#bigint': '3' } });
    assert.equal(itf.loop, undefined);
  });
});
