// The pool of shared flat records (src/engine/recordIntern.ts, used by the
// Record factory of src/engine/recordFactory.ts, which bin/tsx.js installs for
// the tests as bin/klpcheck.js does for the command line): which records are
// shared, that sharing changes no value, and that the state codec hands the
// shared records back, and the bound of a type's part of the pool.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { is, List, Map as IMap, Record, Set as ISet } from 'immutable';
import { fingerprint, fpHi, fpLo } from '../../src/engine/fingerprint.ts';
import { modelValue } from '../../src/engine/modelValue.ts';
import { isInterned } from '../../src/engine/recordIntern.ts';
import { StateCodec } from '../../src/engine/stateCodec.ts';
import '../../src/engine/value.ts';

const Phase2b = Record({ type: 'phase2b', acc: modelValue('a1'), ins: modelValue('r0') as unknown, bal: 0, val: 'prepared' as unknown }, 'Phase2b');
const Holder = Record({ items: List<number>(), tag: '' }, 'Holder');

const storedValues = (r: unknown): unknown[] => {
  const values = (r as { _values: List<unknown> })._values;
  return Array.from({ length: values.size }, (_, i) => values.get(i));
};

function fp(v: unknown): string {
  fingerprint(v);
  return `${fpHi >>> 0}:${fpLo >>> 0}`;
}

describe('shared flat records', () => {
  it('equal records of primitives and model values built apart are one object, equal to what Immutable builds', () => {
    const a = Phase2b({ acc: modelValue('a2'), ins: modelValue('r1'), bal: 1, val: 'aborted' });
    const b = Phase2b({ val: 'aborted', bal: 1, ins: modelValue('r1'), acc: modelValue('a2') });
    assert.equal(a, b, 'the same object, whatever the order of the given fields');
    assert.ok(isInterned(a));
    const immutables = Phase2b(IMap({ acc: modelValue('a2'), ins: modelValue('r1'), bal: 1, val: 'aborted' }));
    assert.notEqual(immutables, a, "a record built from a Map takes Immutable's constructor");
    assert.ok(is(a, immutables));
    assert.deepEqual(storedValues(a), storedValues(immutables), 'the same stored slots (a default stored as undefined)');
    assert.equal(a.hashCode(), immutables.hashCode());
    assert.equal(fp(a), fp(immutables));
    // Immutable's own properties first, in makeRecord's order, then the memo slots.
    assert.deepEqual(Object.keys(a), ['__ownerID', '_values', '__klpH', '__klpL', '__klpIH', '__klpEA', '__klpEB']);
    assert.equal(Phase2b(), Phase2b({}), 'the record of defaults');
    assert.equal(Phase2b({ bal: 0 }), Phase2b(), 'a field given its default');
    assert.equal(Phase2b({ ins: modelValue('r0') }), Phase2b());
    assert.notEqual(Phase2b({ ins: null }), Phase2b());
    assert.equal(Phase2b({ ins: null }), Phase2b({ ins: null }), 'null is a value like the others');
  });

  it('records that differ in a field are different objects', () => {
    assert.notEqual(Phase2b({ bal: 1 }), Phase2b({ bal: 2 }));
    assert.notEqual(Phase2b({ val: 'x' }), Phase2b({ val: 'y' }));
    assert.notEqual(Phase2b({ acc: modelValue('a1') }), Phase2b({ acc: modelValue('a3') }));
    assert.notEqual(Phase2b({ val: 1 }), Phase2b({ val: '1' }));
    assert.notEqual(Phase2b({ val: true }), Phase2b({ val: 'true' }));
  });

  it('a record holding a collection, a record, a plain object or -0 is built afresh each time', () => {
    const items = List([1, 2]);
    assert.notEqual(Holder({ items, tag: 't' }), Holder({ items, tag: 't' }));
    const inner = Phase2b({ bal: 1 });
    assert.notEqual(Phase2b({ val: inner }), Phase2b({ val: inner }));
    const plain = { x: 1 };
    assert.notEqual(Phase2b({ val: plain }), Phase2b({ val: plain }));
    // -0 (in a field whose default is not 0: Immutable stores -0 given for a default of 0 as the default).
    const negative = Phase2b({ val: -0 });
    assert.notEqual(negative, Phase2b({ val: -0 }));
    assert.ok(Object.is(negative.val, -0), '-0 is kept as given');
    assert.ok(Object.is(Phase2b({ val: 0 }).val, 0));
    assert.notEqual(Phase2b({ val: 0 }), negative);
    assert.ok(Object.is(Phase2b({ bal: Number.NaN }).bal, Number.NaN));
    assert.equal(Phase2b({ bal: Number.NaN }), Phase2b({ bal: Number.NaN }), 'NaN is Immutable.is-equal to itself');
  });

  it('a shared record is never changed: set, merge and withMutations make new ones', () => {
    const a = Phase2b({ bal: 3 });
    const b = a.set('bal', 4);
    const c = a.withMutations((m) => m.set('bal', 5).set('val', 'aborted'));
    const d = a.merge({ val: 'none' });
    const e = a.asMutable();
    e.set('bal', 6);
    assert.deepEqual([b.bal, c.bal, c.val, d.val, e.bal], [4, 5, 'aborted', 'none', 6]);
    assert.equal(a.bal, 3);
    assert.equal(a.val, 'prepared');
    assert.equal(Phase2b({ bal: 3 }), a);
    assert.deepEqual(storedValues(Phase2b({ bal: 3 })), [undefined, undefined, undefined, 3, undefined]);
  });

  it('a Set holding a shared record finds a probe built later by identity, and adding it again keeps the Set', () => {
    const msgs = ISet([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((bal) => Phase2b({ bal })));
    assert.ok(msgs.has(Phase2b({ bal: 7 })));
    assert.equal(msgs.add(Phase2b({ bal: 7 })), msgs, 'the very object is in it: Immutable returns the Set itself');
    assert.ok(!msgs.has(Phase2b({ bal: 11 })));
  });

  it('the state codec keeps the shared record itself: a decoded state holds the objects the actions build', () => {
    const State = Record({ msgs: ISet<unknown>() }, 'State');
    const codec = new StateCodec();
    const s = State({ msgs: ISet([Phase2b({ bal: 1, val: 'aborted' }), Phase2b({ bal: 2 })]) });
    fingerprint(s);
    const decoded = codec.decode(codec.encode(s).slice()) as typeof s;
    assert.ok(is(decoded, s));
    const built = Phase2b({ bal: 1, val: 'aborted' });
    assert.ok(decoded.msgs.some((m) => m === built), 'the decoded message is the one the pool hands out');
  });
});

describe("the codec's table and the pool", () => {
  it("a record made by set is kept as the pool's shared record; a subclass's record as a copy", () => {
    const State = Record({ msgs: ISet<unknown>() }, 'State2');
    const Base = Record({ n: 0, tag: 'x' }, 'Base');
    class Sub extends Base {}
    const codec = new StateCodec();
    const bySet = Phase2b().set('bal', 77);
    assert.ok(!isInterned(bySet));
    const sub = new Sub({ n: 1 });
    const s = State({ msgs: ISet<unknown>([bySet, sub]) });
    fingerprint(s);
    const decoded = codec.decode(codec.encode(s).slice()) as typeof s;
    assert.ok(is(decoded, s));
    assert.ok(decoded.msgs.some((m) => m === Phase2b({ bal: 77 })), "the pool's record");
    const back = decoded.msgs.find((m) => m instanceof Sub);
    assert.ok(back instanceof Sub && back !== sub && is(back, sub), "a subclass's record is the table's copy");
  });
});

describe('the bound of the pool', () => {
  it("a type whose records are not built again stops adding records, still finds those it holds, and leaves other types' parts alone", () => {
    const Counter = Record({ n: 0, who: modelValue('p1') }, 'Counter');
    const kept = Counter({ n: -1 });
    assert.equal(Counter({ n: -1 }), kept);
    // Records that are each built once: after 4,096 records in the type's part, with fewer than four
    // finds per record, it takes no more.
    for (let i = 0; i < 4094; i++) Counter({ n: i });
    assert.equal(Counter({ n: 4094 }), Counter({ n: 4094 }), 'the 4,096th record is still taken');
    assert.notEqual(Counter({ n: 4095 }), Counter({ n: 4095 }), 'the 4,097th is not: a new value is built afresh');
    assert.notEqual(Counter({ n: 5000 }), Counter({ n: 5000 }));
    assert.ok(!isInterned(Counter({ n: 5001 })));
    assert.ok(is(Counter({ n: 5000 }), Counter({ n: 5000 })));
    assert.equal(Counter({ n: -1 }), kept, 'one it holds is still found');
    assert.equal(Counter({ n: 17 }), Counter({ n: 17 }));
    assert.equal(Phase2b({ bal: 123_456 }), Phase2b({ bal: 123_456 }), "another type's part still takes new records");
  });
});
