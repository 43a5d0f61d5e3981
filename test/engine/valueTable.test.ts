// The codec's shared records (src/engine/valueTable.ts) and the Set sums
// carried through add and remove (src/engine/setSums.ts): speed-ups that must
// change no value, no fingerprint and no byte the reader cannot read back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { List, Map as IMap, Record, Set as ISet, is } from 'immutable';
import { fingerprint, fpHi, fpLo } from '../../src/engine/fingerprint.ts';
import { modelValue } from '../../src/engine/modelValue.ts';
import { StateCodec } from '../../src/engine/stateCodec.ts';
import { ValueTable } from '../../src/engine/valueTable.ts';
import '../../src/engine/value.ts';

const Msg = Record({ type: 'ack', to: 0, from: modelValue('p1') }, 'Msg');
const Job = Record({ name: '', deps: ISet<string>() }, 'Job');
const State = Record({ msgs: ISet<unknown>(), jobs: List<unknown>() }, 'State');

function fp(v: unknown): string {
  fingerprint(v);
  return `${fpHi >>> 0}:${fpLo >>> 0}`;
}

/** Fields of a record as the table reads them (Immutable's short value List). */
function fieldsOf(r: object): { stored: unknown[]; origin: number; defaults: unknown[]; n: number } {
  const values = (r as unknown as { _values: { _origin: number; _tail: { array: unknown[] } } })._values;
  const keys = [...(r as Record<object>).toSeq().keys()];
  const defaults = (r as unknown as { _defaultValues: { [k: string]: unknown } })._defaultValues;
  return { stored: values._tail.array, origin: values._origin, defaults: keys.map((k) => defaults[String(k)]), n: keys.length };
}

describe('shared records in the state codec', () => {
  it('an equal flat record in another state decodes to the one shared object, two bytes where it was five', () => {
    const codec = new StateCodec();
    const first = State({ msgs: ISet([Msg({ type: 'req', to: 2 })]) });
    // An equal message, another object: built from a Map, it takes Immutable's constructor, not the pool of
    // shared records (recordIntern.ts), which would hand out the same object.
    const second = State({ msgs: ISet([Msg(IMap({ type: 'req', to: 2 }))]) });
    assert.notEqual(first.msgs.first(), second.msgs.first());
    fingerprint(first);
    fingerprint(second);
    const a = codec.decode(codec.encode(first).slice()) as typeof first;
    const b = codec.decode(codec.encode(second).slice()) as typeof first;
    const ma = a.msgs.first();
    const mb = b.msgs.first();
    assert.ok(ma !== undefined && ma === mb, 'one object');
    assert.ok(is(ma, Msg({ type: 'req', to: 2 })));
    // Hand count: State = T_RECORD, class id, msgs (T_SET, size 1, element), jobs left at its default
    // (T_DEFAULT, one byte). The element: T_SHARED + id 0 = 2 bytes, where a message written out is
    // T_RECORD, class id, 'req' (T_STR + id), 2 (one byte), `from` at its default (T_DEFAULT) = 6 bytes.
    assert.equal(codec.encode(first).length, 2 + 2 + 2 + 1);
    const inline = new StateCodec();
    assert.equal(inline.encode(Msg({ type: 'req', to: 2 })).length, 6, 'a whole state (here a message) is never shared');
    assert.equal(inline.encode(Msg({ type: 'req', to: 2, from: modelValue('p2') })).length, 7, 'a field not at its default is written out');
  });

  it('a record holding a collection is written out, not shared', () => {
    const codec = new StateCodec();
    const s = State({ jobs: List([Job({ name: 'build', deps: ISet(['fetch']) })]) });
    const a = codec.decode(codec.encode(s).slice()) as typeof s;
    const b = codec.decode(codec.encode(s).slice()) as typeof s;
    assert.ok(is(a, s) && is(b, s));
    assert.notEqual(a.jobs.first(), b.jobs.first());
  });

  it('the table stops growing when its records are not used again', () => {
    const table = new ValueTable();
    // 5,000 distinct messages, each met once: after 4,096 the table sees it does not pay.
    for (let i = 0; i < 5_000; i++) {
      const m = Msg({ to: i });
      const { stored, origin, defaults, n } = fieldsOf(m);
      const id = table.ref(m, stored, origin, defaults, n);
      assert.equal(id, i < 4_096 ? i : -1, `message ${i}`);
    }
    assert.equal(table.size, 4_096);
    // A record it holds is still found (by its mark, or by value for an equal object).
    const again = Msg({ to: 7 });
    const f = fieldsOf(again);
    assert.equal(table.ref(again, f.stored, f.origin, f.defaults, f.n), 7);
  });

  it('with a shared id space the other codec reads the records after adopting them', () => {
    const w0 = new StateCodec(0, 2);
    const w1 = new StateCodec(1, 2);
    const s0 = State({ msgs: ISet([Msg({ type: 'x', to: 1 }), Msg({ type: 'y', to: 1 })]) });
    const s1 = State({ msgs: ISet([Msg({ type: 'z', to: 1 })]) });
    const bytes0 = w0.encode(s0).slice();
    const bytes1 = w1.encode(s1).slice();
    const made0 = w0.takeEntries();
    const made1 = w1.takeEntries();
    assert.deepEqual(made0.values.map((v) => v.id), [0, 2]);
    assert.deepEqual(made1.values.map((v) => v.id), [1]);
    for (const [reader, made] of [
      [w1, made0],
      [w0, made1],
    ] as const) {
      reader.adoptStrings(made.strings);
      // One thread here: the same classes (the workers' test adopts a class of another thread).
      for (const r of made.records) {
        const ctor = r.signature.startsWith('State') ? State : Msg;
        reader.adoptRecord(r.id, ctor as unknown as Record.Factory<object>, [...ctor().toSeq().keys()]);
      }
      reader.adoptValues(made.values);
    }
    const back0 = w1.decode(bytes0);
    const back1 = w0.decode(bytes1);
    assert.ok(is(back0, s0) && is(back1, s1));
    assert.equal(fp(back0), fp(s0));
    // Each writes the other's ids for equal records from then on: no new shared record, and the writer reads it back.
    const again = w1.encode(s0).slice();
    assert.deepEqual(w1.takeEntries().values, []);
    assert.ok(is(w0.decode(again), s0));
  });
});

describe('Set sums carried through add and remove', () => {
  const msgs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((to) => Msg({ to }));

  it('a Set made from a fingerprinted Set has the fingerprint of the same Set built afresh', () => {
    let s = ISet<unknown>();
    for (const m of msgs) {
      fingerprint(s);
      s = s.add(Msg(IMap({ to: m.to }))); // a fresh object, equal to m (from a Map: not the pool's shared record)
      assert.ok((s as unknown as { __klpSA?: number }).__klpSA !== undefined || s.size === 1, 'carried');
      assert.equal(fp(s), fp(ISet(msgs.slice(0, s.size))), `size ${s.size}`);
    }
    for (const m of msgs.slice(3, 9)) {
      fingerprint(s);
      s = s.remove(m);
      const t = ISet(msgs).subtract(msgs.slice(3, 3 + (msgs.length - s.size)));
      assert.equal(fp(s), fp(t), `after removing ${m.to}`);
    }
    fingerprint(s);
    const d = s.delete(msgs[0]);
    assert.equal(fp(d), fp(ISet(msgs).subtract(msgs.slice(3, 9)).delete(msgs[0])));
    // Adding an equal element: Immutable makes a new Set of the same size (the stored value is another object),
    // whose sums are carried too.
    const same = s.add(Msg(IMap({ to: 2 })));
    assert.notEqual(same, s);
    assert.equal(same.size, s.size);
    assert.ok((same as unknown as { __klpSA?: number }).__klpSA !== undefined, 'carried');
    assert.equal(fp(same), fp(s));
  });

  it('adding an element equal to one already there, of another Record type, gives the fingerprint of the Set that holds the new one', () => {
    // Immutable compares records of two types as keyed collections: these two are equal, and fingerprint apart
    // (a record's fingerprint folds its fields in order).
    const XY = Record({ x: 0, y: 0 }, 'XY');
    const YX = Record({ y: 0, x: 0 }, 'YX');
    const xy = XY({ x: 1, y: 2 });
    const yx = YX({ x: 1, y: 2 });
    assert.ok(is(xy, yx));
    assert.notEqual(fp(xy), fp(yx));
    for (const others of [[], msgs.slice(0, 3), msgs]) {
      const s = ISet<unknown>([...others, xy]);
      fingerprint(s);
      const made = s.add(yx);
      assert.equal(made.size, s.size);
      assert.ok((made as unknown as { __klpSA?: number }).__klpSA !== undefined, 'carried');
      assert.equal(fp(made), fp(ISet<unknown>([...others, yx])), `with ${others.length} other elements`);
      assert.notEqual(fp(made), fp(s));
    }
  });

  it('adding a value the fingerprint refuses still works, and the state is refused later as before (KLP109)', () => {
    const s = ISet<unknown>([1, 2]);
    fingerprint(s);
    const t = s.add(null);
    assert.equal(t.size, 3);
    assert.throws(() => fingerprint(t), (e: unknown) => (e as { code?: string }).code === 'KLP109');
  });
});
