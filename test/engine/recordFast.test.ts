// Record get / hashCode / equals installed by src/engine/recordFast.ts must give
// exactly what Immutable.js's own implementations give (kept as the reference),
// so Sets and Maps of records behave as before, only faster.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hash, is, List, Map as IMap, Record, Set as ISet } from 'immutable';
import { modelValue, modelValues } from '../../src/engine/modelValue.ts';
import { immutableRecordEquals, immutableRecordGet, immutableRecordHashCode, immutableRecordMerge } from '../../src/engine/recordFast.ts';

const Msg = Record({ type: 'ack', ins: 'r1', bal: 0, val: 'none', acc: ISet<string>() });
const Other = Record({ type: 'ack', ins: 'r1', bal: 0, val: 'none', acc: ISet<string>() });
const Reordered = Record({ ins: 'r1', type: 'ack', bal: 0, val: 'none', acc: ISet<string>() });
const Fewer = Record({ type: 'ack', ins: 'r1', bal: 0, val: 'none' });

/** A deterministic pseudo-random generator (LCG), so failures reproduce. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

function randomMsg(r: () => number): ReturnType<typeof Msg> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const fields: Partial<{ type: string; ins: string; bal: number; val: string; acc: ISet<string> }> = {};
  if (r() < 0.7) fields.type = pick(['phase1a', 'phase1b', 'phase2a', 'ack']);
  if (r() < 0.7) fields.ins = pick(['r1', 'r2']);
  if (r() < 0.7) fields.bal = pick([0, 1, 2, -1]);
  if (r() < 0.5) fields.val = pick(['prepared', 'aborted', 'none']);
  if (r() < 0.3) fields.acc = ISet(['a1', 'a2', 'a3'].filter(() => r() < 0.5));
  return Msg(fields);
}

describe('Record get, hashCode and equals (engine fast path)', () => {
  it('get equals Immutable own for every field, unknown keys, inherited names and notSetValue', () => {
    const r = lcg(5);
    const Wide = Record<{ [k: string]: unknown }>(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, i])));
    const wide = Wide({ f3: 'x', f39: 'y' }).set('f35', 'z');
    for (let i = 0; i < 500; i++) {
      const m = randomMsg(r);
      for (const k of ['type', 'ins', 'bal', 'val', 'acc', 'nope', 'toString', 'constructor', '__proto__', 'hasOwnProperty']) {
        assert.equal(m.get(k as 'type'), immutableRecordGet.call(m, k), k);
        assert.equal(m.get(k as 'type', 'dflt'), immutableRecordGet.call(m, k, 'dflt'), k);
      }
    }
    for (let i = 0; i < 41; i++) assert.equal(wide.get(`f${i}`), immutableRecordGet.call(wide, `f${i}`));
    // Too wide to compile: the generic hashCode and equals, put on its prototype, give Immutable's answers.
    for (let round = 0; round < 2; round++) assert.equal(wide.hashCode(), immutableRecordHashCode.call(wide));
    const same = Wide({ f3: 'x', f39: 'y' }).set('f35', 'z');
    assert.ok(wide.equals(same) && immutableRecordEquals.call(wide, same));
    assert.equal(wide.equals(same.set('f0', -1)), immutableRecordEquals.call(wide, same.set('f0', -1)));
    assert.deepEqual([Msg().bal, Msg({ bal: 2 }).bal, Msg({ bal: 2 }).remove('bal').bal], [0, 2, 0]);
  });

  it('hashCode equals Immutable own on 2,000 random records (defaults, sets, updated copies)', () => {
    const r = lcg(7);
    for (let i = 0; i < 2000; i++) {
      const m = r() < 0.5 ? randomMsg(r) : randomMsg(r).set('bal', 3).set('bal', 0);
      assert.equal(m.hashCode(), immutableRecordHashCode.call(m));
      assert.equal(m.hashCode(), immutableRecordHashCode.call(m), 'cached value');
    }
  });

  it('hashCode of records holding model values (which carry their hash) equals Immutable own', () => {
    const Ack = Record({ acc: modelValue('a1'), ins: null as unknown, bal: 0 }, 'Ack');
    for (const acc of modelValues('a1', 'a2', 'a3', 'Z_9')) {
      for (const ins of [null, modelValue('r1'), 'r1']) {
        const m = Ack({ acc, ins, bal: 2 });
        assert.equal(m.hashCode(), immutableRecordHashCode.call(m), `${acc.name} ${String(ins)}`);
        assert.equal(hash(m), immutableRecordHashCode.call(Ack({ acc, ins, bal: 2 })));
      }
    }
  });

  it('equals agrees with Immutable own on pairs of random records, of one type and of several', () => {
    const r = lcg(11);
    for (let i = 0; i < 2000; i++) {
      const a = randomMsg(r);
      const b = r() < 0.3 ? Msg(a.toObject()) : randomMsg(r);
      const c = r() < 0.5 ? Other(b.toObject()) : Reordered(b.toObject());
      assert.equal(a.equals(b), immutableRecordEquals.call(a, b));
      assert.equal(a.equals(c), immutableRecordEquals.call(a, c));
      // Another number of fields, and values that are not records.
      const { acc: _, ...four } = b.toObject();
      for (const d of [Fewer(four), IMap(b.toObject()), b.toObject(), 'ack', 0, null]) assert.equal(a.equals(d), immutableRecordEquals.call(a, d));
      if (r() < 0.5) a.hashCode();
      assert.equal(is(a, b), immutableRecordEquals.call(a, b), 'after caching a hash');
    }
  });

  it('keeps the hash contract across Record types Immutable calls equal', () => {
    // Immutable.is treats records with the same fields and values as equal,
    // whatever their type or field order; their hashes must then agree.
    const a = Msg({ bal: 1 });
    assert.ok(is(a, Other({ bal: 1 })) && is(a, Reordered({ bal: 1 })));
    assert.equal(hash(a), hash(Other({ bal: 1 })));
    assert.equal(hash(a), hash(Reordered({ bal: 1 })));
  });

  it('Sets of records: membership, size and union as with fresh copies', () => {
    const r = lcg(3);
    const all = Array.from({ length: 300 }, () => randomMsg(r));
    const set = ISet(all);
    const distinct = new Set(all.map((m) => JSON.stringify(m.toJS())));
    assert.equal(set.size, distinct.size);
    for (const m of all) assert.ok(set.has(Msg(m.toObject())));
    assert.equal(set.union(all.map((m) => Msg(m.toObject()))).size, set.size);
    assert.ok(is(IMap({ k: List([set]) }), IMap({ k: List([ISet([...all].reverse())]) })));
  });

  it('field names that are not identifiers: the code compiled per type takes them as data', () => {
    // The factory, the getters, hashCode and equals are compiled per record type with the field names
    // written into the code as string literals: quotes, backslashes, line breaks and template syntax
    // must stay data.
    const names = ['a"b', "it's", 'x\\ny', 'line\nbreak', '\u2028', '${x}', '1st', '`tick`'];
    const Odd = Record<{ [k: string]: unknown }>(Object.fromEntries(names.map((k, i) => [k, i])), 'Odd');
    Odd({});
    const r = lcg(13);
    for (let i = 0; i < 300; i++) {
      const fields = Object.fromEntries(names.filter(() => r() < 0.5).map((k) => [k, Math.floor(r() * 3)]));
      const a = Odd(fields);
      const b = Odd(IMap(fields) as never);
      for (const k of names) {
        assert.equal(a.get(k), b.get(k), k);
        assert.equal((a as unknown as { [k: string]: unknown })[k], b.get(k), `getter ${k}`);
      }
      assert.equal(a.hashCode(), immutableRecordHashCode.call(b));
      assert.ok(a.equals(b) && b.equals(a) && immutableRecordEquals.call(a, b));
      const c = Odd(IMap({ ...fields, '1st': 9 }) as never);
      assert.equal(a.equals(c), immutableRecordEquals.call(a, c));
    }
  });

  it('a subclass keeps its own hashCode and equals; across types, equals is Immutable own', () => {
    class Weighed extends Msg {
      override hashCode(): number {
        return 42;
      }
    }
    const m = Msg({ bal: 1 });
    m.hashCode();
    const w = new Weighed({ bal: 1 });
    assert.equal(w.hashCode(), 42);
    assert.equal(m.equals(w), immutableRecordEquals.call(m, w));
    assert.equal(w.equals(m), immutableRecordEquals.call(w, m));
    assert.equal(w.equals(new Weighed({ bal: 1 })), immutableRecordEquals.call(w, new Weighed({ bal: 1 })));
    assert.equal(m.equals(Other({ bal: 1 })), immutableRecordEquals.call(m, Other({ bal: 1 })));
    assert.equal(m.equals(IMap({ type: 'ack' })), immutableRecordEquals.call(m, IMap({ type: 'ack' })));
    assert.equal(m.equals(null), false);
  });

  it('does not cache the hash of a record being mutated', () => {
    const m = Msg().withMutations((w) => {
      w.set('bal', 1);
      w.hashCode();
      w.set('bal', 2);
    });
    assert.equal(m.hashCode(), immutableRecordHashCode.call(Msg({ bal: 2 })));
  });
  it('merge of a plain object gives what Immutable own gives: the same fields, the record itself when unchanged', () => {
    const r = lcg(23);
    const values: unknown[] = ['phase1a', 'ack', 'r1', 'r2', 0, 1, -1, 'none', 'prepared', undefined, null, ISet(['a1'])];
    const slots = (x: unknown): unknown => (x as { _values: List<unknown> })._values.toArray();
    for (let n = 0; n < 2000; n++) {
      const m = randomMsg(r);
      const obj: { [k: string]: unknown } = {};
      for (const k of ['type', 'ins', 'bal', 'val', 'acc', 'nope']) if (r() < 0.4) obj[k] = values[Math.floor(r() * values.length)];
      // Values already there: unchanged.
      if (r() < 0.2) for (const k of Object.keys(obj)) if (k !== 'nope') obj[k] = m.get(k as 'type');
      const ours = m.merge(obj);
      const own = immutableRecordMerge.call(m, obj) as typeof m;
      assert.equal(ours === m, own === m, `${JSON.stringify(obj)}: unchanged`);
      assert.ok(immutableRecordEquals.call(ours, own), `${JSON.stringify(obj)}: equal`);
      assert.deepStrictEqual(slots(ours), slots(own), `${JSON.stringify(obj)}: stored slots`);
    }
    // Immutable's own for everything else: a Map, two objects, a symbol key, a \`length\`, a record being mutated.
    const m = Msg({ bal: 1 });
    const sym = Symbol('s');
    for (const args of [[IMap({ bal: 2 })], [{ bal: 2 }, { ins: 'r2' }], [{ bal: 2, [sym]: 1 }], [{ length: 1, bal: 2 }], [Msg({ bal: 3 })]] as unknown[][]) {
      const ours = (m.merge as (...xs: unknown[]) => typeof m)(...args);
      const own = immutableRecordMerge.call(m, ...args) as typeof m;
      assert.ok(immutableRecordEquals.call(ours, own));
    }
    assert.equal(Msg().withMutations((x) => x.merge({ bal: 2 })).bal, 2);
  });
});
