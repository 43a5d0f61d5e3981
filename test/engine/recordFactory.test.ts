// The Record factory installed by src/engine/recordFactory.ts (through
// bin/tsx.js, before anything imports 'immutable') must build exactly the
// records Immutable.js's own constructor builds. The reference is the same
// type's constructor given an Immutable Map, which always takes Immutable's
// own path.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Immutable, { is, List, Map as IMap, Record, Set as ISet } from 'immutable';
import { fingerprint, fpHi, fpLo } from '../../src/engine/fingerprint.ts';
import { immutableRecord } from '../../src/engine/recordFactory.ts';
import { immutableRecordHashCode } from '../../src/engine/recordFast.ts';

/** A deterministic pseudo-random generator (LCG), so failures reproduce. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

const Msg = Record<{ type: string; ins: string; bal: number; val: unknown; acc: ISet<string> }>(
  { type: 'ack', ins: 'r0', bal: 0, val: 'none', acc: ISet<string>() },
  'Msg',
);

function fp(v: unknown): [number, number] {
  fingerprint(v);
  return [fpHi, fpLo];
}

/** The stored values of a record's List, by index (undefined for a default). */
const storedValues = (r: unknown): unknown[] => {
  const values = (r as { _values: List<unknown> })._values;
  return Array.from({ length: values.size }, (_, i) => values.get(i));
};

function assertSameRecord(a: unknown, b: unknown, what: string): void {
  assert.ok(Record.isRecord(a), what);
  assert.equal(Object.getPrototypeOf(a), Object.getPrototypeOf(b), what);
  const own = (x: unknown): string[] => Object.keys(x as object).filter((k) => !k.startsWith('__klp'));
  assert.deepEqual(own(a), own(b), what);
  assert.deepEqual(storedValues(a), storedValues(b), what);
  assert.ok(is(a, b), what);
  assert.equal(immutableRecordHashCode.call(a), immutableRecordHashCode.call(b), what);
  assert.deepEqual(fp(a), fp(b), what);
  assert.deepEqual((a as Record<object>).toJS(), (b as Record<object>).toJS(), what);
}

describe('Record factory (engine fast path)', () => {
  it('is installed: the ES module namespace and the default export carry it, statics and instanceof kept', () => {
    assert.notEqual(Record, immutableRecord);
    assert.equal(Immutable.Record, Record);
    const r = Msg({ bal: 2 });
    assert.ok(r instanceof Msg);
    assert.ok(r instanceof Record);
    assert.equal(r.constructor, Msg);
    assert.equal(Record.getDescriptiveName(r), 'Msg');
    assert.equal(Msg(r), r);
    assert.equal(String(r), 'Msg { type: "ack", ins: "r0", bal: 2, val: "none", acc: Set {} }');
  });

  it('builds from plain objects the records Immutable builds, on 3,000 random field choices', () => {
    const r = lcg(3);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    for (let i = 0; i < 3000; i++) {
      const fields: { [k: string]: unknown } = {};
      if (r() < 0.7) fields['type'] = pick(['phase1a', 'ack', 'ack']);
      if (r() < 0.7) fields['ins'] = pick(['r1', 'r0', 'r2']);
      if (r() < 0.7) fields['bal'] = pick([0, 1, -1, NaN, -0]);
      if (r() < 0.5) fields['val'] = pick(['none', 'prepared', undefined, List([1]), ISet(['x'])]);
      if (r() < 0.3) fields['acc'] = ISet(['a1', 'a2'].filter(() => r() < 0.5));
      if (r() < 0.2) fields['extra'] = 5;
      const a = Msg(fields as never);
      const b = Msg(IMap(fields) as never);
      assertSameRecord(a, b, JSON.stringify(fields));
      assertSameRecord(new Msg(fields as never), b, 'with new');
      // Updates behave the same on both.
      assertSameRecord(a.set('bal', 7).set('ins', 'r9'), b.set('bal', 7).set('ins', 'r9'), 'after set');
      assertSameRecord(a.remove('type'), b.remove('type'), 'after remove');
      assertSameRecord(
        a.withMutations((m) => m.set('bal', 3)),
        b.withMutations((m) => m.set('bal', 3)),
        'after withMutations',
      );
    }
    assertSameRecord(Msg(), Msg(IMap()), 'no values');
  });

  it('the first record of a type and other inputs take Immutable own constructor', () => {
    const Fresh = Record({ x: 1, y: 'a' });
    assertSameRecord(Fresh({ x: 2 }), Fresh(IMap({ x: 2 })), 'first record');
    assertSameRecord(Fresh([['x', 3]] as never), Fresh({ x: 3 }), 'entries');
    assertSameRecord(Fresh(Msg({ bal: 4 }) as never), Fresh(IMap()), 'another record type');
    // A field named like an Object.prototype member is never read from the prototype.
    const Odd = Record({ toString: 1, valueOf: 2, a: 3 } as { toString: unknown; valueOf: unknown; a: number });
    Odd({});
    assert.deepEqual(storedValues(Odd({ a: 4 })), [undefined, undefined, 4]);
    // Created with Object.create(null) or a class instance: Immutable's path.
    const bare = Object.assign(Object.create(null) as object, { y: 'b' });
    assertSameRecord(Fresh(bare as never), Fresh({ y: 'b' }), 'null-prototype object');
  });

  it('field getters read what get reads; a subclass keeps its prototype, its own get and its getters', () => {
    const r = lcg(9);
    for (let i = 0; i < 500; i++) {
      const m = Msg({ bal: Math.floor(r() * 3), ...(r() < 0.5 ? { ins: 'r2' } : {}) }).set('val', r() < 0.5 ? 'none' : 'x');
      for (const k of ['type', 'ins', 'bal', 'val', 'acc'] as const) assert.equal(m[k], m.get(k), k);
    }
    class Sub extends Msg {
      override get<K extends keyof typeof Msg.prototype>(k: K, notSetValue?: unknown): never {
        return (k === 'bal' ? 'overridden' : super.get(k as 'bal', notSetValue as number)) as never;
      }
      twice(): number {
        return (this.get('ins') as string).length * 2;
      }
    }
    const s = new Sub({ bal: 5, ins: 'r12' });
    assert.ok(s instanceof Sub && s instanceof Msg);
    assert.equal(s.twice(), 6);
    assert.equal(s.bal, 'overridden');
    assert.equal(s.ins, 'r12');
    assert.ok(s.set('ins', 'r1') instanceof Sub);
  });

  it('a wide record (32 fields or more) takes Immutable own constructor', () => {
    const Wide = Record<{ [k: string]: unknown }>(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, i])));
    Wide({});
    assertSameRecord(Wide({ f3: 'x', f39: 'y' }), Wide(IMap({ f3: 'x', f39: 'y' })), 'wide');
  });
});
