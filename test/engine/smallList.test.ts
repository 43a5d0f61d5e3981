// smallList(xs) must be the very List that List(xs) builds: same prototype,
// same fields in the same order, same tail node class, and the same behaviour
// under later updates (the search updates decoded states).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { List, is } from 'immutable';
import { smallList } from '../../src/engine/smallList.ts';

type Fields = { [k: string]: unknown };

function internals(l: List<unknown>): { keys: string[]; fields: Fields; tailClass: unknown; tailKeys: string[]; array: unknown } {
  const o = l as unknown as Fields;
  const tail = o['_tail'] as Fields | undefined;
  const fields: Fields = {};
  for (const k of Object.keys(o)) if (k !== '_tail') fields[k] = o[k];
  return {
    keys: Object.keys(o),
    fields,
    tailClass: tail?.constructor,
    tailKeys: tail === undefined ? [] : Object.keys(tail),
    array: tail?.['array'],
  };
}

describe('smallList', () => {
  it('builds what List(xs) builds, for every length 0..40', () => {
    for (let n = 0; n <= 40; n++) {
      const xs = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? `s${i}` : i));
      const mine = smallList([...xs]);
      const theirs = List(xs);
      assert.equal(Object.getPrototypeOf(mine), Object.getPrototypeOf(theirs));
      assert.deepEqual(internals(mine), internals(theirs), `length ${n}`);
    }
  });

  it('behaves the same under updates', () => {
    for (let n = 1; n < 32; n++) {
      const xs = Array.from({ length: n }, (_, i) => i);
      let a = smallList([...xs]);
      let b = List(xs);
      for (let step = 0; step < 40; step++) {
        const op = (step * 7 + n) % 4;
        if (op === 0) [a, b] = [a.push(step), b.push(step)];
        else if (op === 1) [a, b] = [a.shift(), b.shift()];
        else if (op === 2 && a.size > 0) [a, b] = [a.set(step % a.size, -step), b.set(step % b.size, -step)];
        else [a, b] = [a.unshift(step), b.unshift(step)];
        assert.ok(is(a, b));
        assert.deepEqual(a.toArray(), b.toArray());
        assert.equal(a.hashCode(), b.hashCode());
      }
    }
  });
});
