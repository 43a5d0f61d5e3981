// The state codec must give back, for any value a state may hold, a value that
// is not only Immutable.is-equal with the same fingerprint, but of the same
// types all the way down (Record class, Map vs OrderedMap, model values) and
// that iterates in the same order, also after a further update: the search
// expands decoded states, so successor order must not change.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { List, Map as IMap, OrderedMap, OrderedSet, Record, Set as ISet, is } from 'immutable';
import { fingerprint, fpHi, fpLo } from '../../src/engine/fingerprint.ts';
import { isModelValue, modelValue } from '../../src/engine/modelValue.ts';
import { instantiate, type Model } from '../../src/engine/spec.ts';
import { StateCodec } from '../../src/engine/stateCodec.ts';
import { exploreGraph } from '../../src/engine/stateGraph.ts';
import { scenarioRun } from '../../src/cli/scenarioRun.ts';
import { loadScenario } from '../../src/spec/loadScenario.ts';
import { Rng } from '../support/prng.ts';

const Point = Record({ x: 0, y: 0 });
const Task = Record({ name: '', state: 'idle', stack: List<unknown>(), flags: ISet<unknown>() });
const Empty = Record({});

function fp(v: unknown): string {
  fingerprint(v);
  return `${fpHi >>> 0}:${fpLo >>> 0}`;
}

/** Same kinds, same Record classes, same iteration order, all the way down. */
function assertSameShape(a: unknown, b: unknown, path = '$'): void {
  if (typeof a !== 'object' || a === null) {
    assert.ok(Object.is(a, b), `${path}: ${String(a)} vs ${String(b)}`);
    return;
  }
  if (isModelValue(a)) {
    assert.equal(a, b, path);
    return;
  }
  assert.equal((b as object).constructor, (a as object).constructor, `${path}: type`);
  assert.equal(OrderedMap.isOrderedMap(b), OrderedMap.isOrderedMap(a), `${path}: ordered map`);
  assert.equal(OrderedSet.isOrderedSet(b), OrderedSet.isOrderedSet(a), `${path}: ordered set`);
  if (Record.isRecord(a)) {
    const ea = [...a.toSeq().entries()];
    const eb = [...(b as Record<object>).toSeq().entries()];
    assert.deepEqual(eb.map(([k]) => k), ea.map(([k]) => k), `${path}: fields`);
    ea.forEach(([k, v], i) => assertSameShape(v, eb[i]![1], `${path}.${String(k)}`));
    return;
  }
  const ea = [...(a as IMap<unknown, unknown>).entries()];
  const eb = [...(b as IMap<unknown, unknown>).entries()];
  assert.equal(eb.length, ea.length, `${path}: size`);
  ea.forEach(([k, v], i) => {
    assertSameShape(k, eb[i]![0], `${path}#${i}key`);
    assertSameShape(v, eb[i]![1], `${path}#${i}`);
  });
}

function roundTrip(codec: StateCodec, v: unknown): unknown {
  const bytes = codec.encode(v).slice();
  const back = codec.decode(bytes);
  assert.equal(codec.end, bytes.length);
  return back;
}

function randomValue(r: Rng, depth: number): unknown {
  const leaf = depth <= 0 || r.chance(0.35);
  if (leaf) {
    switch (r.int(9)) {
      case 0:
        return r.int(300);
      case 1:
        return r.pick([-1, -0, 2 ** 31, -(2 ** 31), 2 ** 53 - 1, 0.5, NaN, Infinity, -1e-300, 224, 223]);
      case 2:
        return r.int(2 ** 30) - 2 ** 29;
      case 3:
        return r.pick(['', 'a', 'idle', 'é ü 😀', 'x'.repeat(40)]);
      case 4:
        return r.chance(0.5);
      case 5:
        return r.pick([0n, -5n, 2n ** 70n]);
      case 6:
        return modelValue(r.pick(['r1', 'r2', 'p3']));
      case 7:
        return `s${r.int(50)}`;
      default:
        return r.int(5);
    }
  }
  const n = r.int(r.chance(0.3) ? 20 : 6);
  const items = (): unknown[] => Array.from({ length: n }, () => randomValue(r, depth - 1));
  switch (r.int(8)) {
    case 0:
      return List(items());
    case 1:
      return ISet(items());
    case 2:
      return OrderedSet(items());
    case 3:
    case 4: {
      const kind = r.chance(0.3) ? OrderedMap<unknown, unknown>() : IMap<unknown, unknown>();
      let m = kind;
      for (const k of items()) m = m.set(k, randomValue(r, depth - 1));
      // Shrink some back under 9 entries: a "hashed small" map.
      if (r.chance(0.5)) for (const k of [...m.keys()].slice(0, Math.max(0, m.size - r.int(9)))) m = m.delete(k);
      return m;
    }
    case 5:
      return Point({ x: randomValue(r, depth - 1) as number, y: r.int(3) });
    case 6:
      return r.chance(0.2) ? Empty() : Task({ name: `t${r.int(4)}`, stack: List(items()), flags: ISet(items()) });
    default: {
      let s = ISet<unknown>();
      for (let i = 0; i < 12; i++) s = s.add(`k${r.int(40)}`);
      for (const k of [...s].slice(0, r.int(s.size + 1))) s = s.delete(k);
      return s;
    }
  }
}

describe('state codec', () => {
  it('random values: equal, same fingerprint, same types and iteration order, same after one more update', () => {
    const r = new Rng(2026);
    const codec = new StateCodec();
    for (let i = 0; i < 3000; i++) {
      const v = randomValue(r, 4);
      const back = roundTrip(codec, v);
      assert.ok(is(back, v), `case ${i}`);
      assert.equal(fp(back), fp(v), `case ${i}`);
      assertSameShape(v, back);
      if (IMap.isMap(v)) {
        const k = `new${i}`;
        assertSameShape((v as IMap<unknown, unknown>).set(k, 1), (back as IMap<unknown, unknown>).set(k, 1));
      }
      if (ISet.isSet(v)) assertSameShape((v as ISet<unknown>).add(`new${i}`), (back as ISet<unknown>).add(`new${i}`));
    }
  });

  it('a map grown past 8 entries and shrunk back keeps its hash order, also when a key is added', () => {
    let m = IMap<string, number>();
    for (let i = 0; i < 12; i++) m = m.set(`k${i}`, i);
    for (let i = 0; i < 7; i++) m = m.delete(`k${i}`);
    const codec = new StateCodec();
    const back = roundTrip(codec, m) as IMap<string, number>;
    assert.deepEqual([...back.keys()], ['k10', 'k11', 'k7', 'k8', 'k9']);
    for (const extra of ['z', 'a0', 'k3', 'q']) assert.deepEqual([...back.set(extra, 0).keys()], [...m.set(extra, 0).keys()]);
  });

  it('a Map or Set of at most 8 entries is laid out as Immutable lays it out, and updates as the original does', () => {
    const Msg = Record({ type: 'phase1a', bal: 0 }, 'Msg');
    const Ack = Record({ acc: modelValue('a1') }, 'Ack');
    const pool: unknown[] = [Msg({ bal: 1 }), Msg({ type: 'phase2a' }), Ack(), Ack({ acc: modelValue('a2') }), modelValue('r1'), 'idle', 3, List([1])];
    const layout = (v: unknown): unknown => {
      const m = (ISet.isSet(v) ? (v as unknown as { _map: object })._map : v) as { _root: { constructor: unknown; ownerID: unknown; entries: unknown[] } };
      // The fingerprint's memos (__klp...) aside: a decoded Set has its sums.
      return { own: Object.keys(v as object).filter((k) => !k.startsWith('__klp')), mapOwn: Object.keys(m), node: m._root.constructor, nodeOwn: Object.keys(m._root), entries: m._root.entries.length };
    };
    const codec = new StateCodec();
    for (let n = 1; n <= 8; n++) {
      const xs = pool.slice(0, n);
      const cases: unknown[] = [ISet(xs), IMap(xs.map((x, i): [unknown, unknown] => [x, i])), IMap(xs.map((x, i): [unknown, unknown] => [i, x]))];
      for (const v of cases) {
        const back = roundTrip(codec, v);
        assert.deepEqual(layout(back), layout(v), `${n} entries`);
        assertSameShape(v, back);
        assert.equal(fp(back), fp(v));
        if (ISet.isSet(v)) {
          const [a, b] = [v as ISet<unknown>, back as ISet<unknown>];
          // An element equal to one there (another object), one removed, one added past 8.
          for (const step of [(s: ISet<unknown>) => s.add(Msg({ bal: 1 })), (s: ISet<unknown>) => s.remove(xs[0]), (s: ISet<unknown>) => s.add('new').add('new2')]) {
            assertSameShape(step(a), step(b));
            assert.ok(is(step(a), step(b)));
          }
          assert.ok(b.has(Msg({ bal: 1 })) && !b.has(Msg({ bal: 2 })));
        } else {
          const [a, b] = [v as IMap<unknown, unknown>, back as IMap<unknown, unknown>];
          const k = a.keySeq().last();
          for (const step of [(m: IMap<unknown, unknown>) => m.set(k, 'changed'), (m: IMap<unknown, unknown>) => m.delete(k), (m: IMap<unknown, unknown>) => m.set('new', 1).set('new2', 2)]) {
            assertSameShape(step(a), step(b));
          }
          assert.ok(is(b.get(k), a.get(k)));
        }
      }
    }
    assert.equal(roundTrip(codec, ISet()), ISet());
    assert.equal(roundTrip(codec, IMap()), IMap());
  });

  it('a field left at its default is written as one byte and read back left at its default', () => {
    const codec = new StateCodec();
    const stored = (r: unknown): unknown[] => (r as { _values: List<unknown> })._values.toArray();
    const idle = Task();
    const back = roundTrip(codec, idle);
    assert.deepEqual(stored(back), [undefined, undefined, undefined, undefined]);
    // Hand count: T_RECORD, class id, four fields at their defaults.
    assert.equal(codec.encode(idle).length, 2 + 4);
    // A field set to a value equal to its default but another object is stored; it reads back equal.
    const explicit = Task().set('stack', List([1]).pop());
    assert.notEqual(stored(explicit)[2], undefined);
    const back2 = roundTrip(codec, explicit);
    assert.ok(is(back2, idle));
    assert.equal(fp(back2), fp(idle));
    assert.equal(fp(explicit), fp(idle));
  });

  it('small values take few bytes: ints 0..223 one byte, strings interned', () => {
    const codec = new StateCodec();
    assert.equal(codec.encode(7).length, 1);
    assert.equal(codec.encode(224).length, 3);
    assert.equal(codec.encode('critical').length, 2);
    assert.equal(codec.encode(Point({ x: 1, y: 2 })).length, 4);
    assert.equal(codec.encode(List([1, 2, 3])).length, 5);
    assert.equal(codec.internedStrings, 1);
  });

  it('refuses what a state may not hold, with KLP109', () => {
    const codec = new StateCodec();
    for (const bad of [null, undefined, { a: 1 }, [1], () => 1]) {
      assert.throws(() => codec.encode(List([bad])), (e: unknown) => (e as { code?: string }).code === 'KLP109');
    }
  });
});

describe('state codec on every reachable state', () => {
  const check = <S,>(what: string, model: Model<S>): void => {
    const graph = exploreGraph(model, 40_000);
    assert.ok(graph !== undefined, `${what}: small enough`);
    const codec = new StateCodec();
    for (const s of graph.states) {
      const back = roundTrip(codec, s);
      assert.equal(fp(back), fp(s), what);
      assert.ok(is(back, s), what);
      assertSameShape(s, back);
    }
  };

  for (const name of ['diehard', 'twophase', 'chameneos', 'mutex-fairness']) {
    it(`example ${name}`, async () => {
      const spec = ((await import(`../../specs/examples/${name}.ts`)) as { default: Parameters<typeof instantiate>[0] }).default;
      check(name, instantiate(spec));
    });
  }

  it('every bundled livepatch scenario and variant', () => {
    for (const file of readdirSync('specs/livepatch').filter((f) => f.endsWith('.yaml'))) {
      const sc = loadScenario(`specs/livepatch/${file}`);
      for (const variant of [undefined, ...sc.variants.map((v) => v.name)]) {
        check(`${file} ${variant ?? ''}`, instantiate(scenarioRun(sc, variant).spec));
      }
    }
  });
});

describe('codecs sharing one id space (--workers)', () => {
  // Two threads load the spec each: the same Record classes exist twice. Here
  // two classes of one signature stand for them, and a third for a class the
  // reader met only as the writer's id.
  const makeClasses = () => ({
    Task: Record({ name: '', state: 'idle', stack: List<unknown>() }, 'Task'),
    Msg: Record({ kind: '', to: 0 }, 'Msg'),
  });
  const a = makeClasses();
  const b = makeClasses();

  it('ids do not collide: codec slot s of n makes s, s + n, ...', () => {
    const w0 = new StateCodec(0, 2);
    const w1 = new StateCodec(1, 2);
    w0.encode(List(['x', 'y']));
    w1.encode(List(['y', 'z', 'w']));
    assert.deepEqual(w0.takeEntries().strings, [{ id: 0, text: 'x' }, { id: 2, text: 'y' }]);
    assert.deepEqual(w1.takeEntries().strings, [{ id: 1, text: 'y' }, { id: 3, text: 'z' }, { id: 5, text: 'w' }]);
    assert.deepEqual(w1.takeEntries(), { strings: [], records: [], values: [] }, 'taken once');
  });

  it('a state written by one codec reads back in the other with the reader\'s own classes, after adopting the ids', () => {
    const w0 = new StateCodec(0, 2);
    const w1 = new StateCodec(1, 2);
    const state = IMap({ tasks: List([a.Task({ name: 't1', state: 'running', stack: List(['f', 'g']) })]), net: ISet([a.Msg({ kind: 'ack', to: 2 })]), who: modelValue('p1') });
    const bytes = w0.encode(state).slice();
    const made = w0.takeEntries();
    assert.deepEqual(made.records.map((r) => r.signature.split('\u0000')[0]), ['Task', 'Msg']);
    w1.adoptStrings(made.strings);
    for (const r of made.records) {
      assert.equal(w1.knowsRecord(r.id), false);
      const own = r.signature.startsWith('Task') ? b.Task : b.Msg;
      w1.adoptRecord(r.id, own as unknown as Record.Factory<object>, [...own().toSeq().keys()]);
      assert.equal(w1.knowsRecord(r.id), true);
    }
    // The message is flat (a shared record, src/engine/valueTable.ts): its own bytes come along.
    assert.deepEqual(made.values.map((v) => v.id), [0]);
    w1.adoptValues(made.values);
    const back = w1.decode(bytes) as IMap<string, unknown>;
    assert.ok(is(back, state));
    assert.equal(fp(back), fp(state));
    const task = (back.get('tasks') as List<unknown>).get(0) as object;
    assert.equal(task.constructor, b.Task, 'the reader\'s class, not the writer\'s');
    // The reader writes the adopted ids for what it already knows, and makes its own for what is new.
    const again = w1.encode(back);
    assert.deepEqual([...again], [...bytes]);
    w1.encode(List(['fresh']));
    assert.deepEqual(w1.takeEntries().strings, [{ id: 1, text: 'fresh' }]);
  });

  it('a string beyond the shared table is written inline and read from shared memory', () => {
    const codec = new StateCodec();
    const bytes = codec.encode(BigInt('123456789012345678901234567890'));
    const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
    shared.set(bytes);
    assert.equal(codec.decode(shared), BigInt('123456789012345678901234567890'));
  });
});
