// setIn, updateIn and update installed by src/engine/keyPathFast.ts must give
// exactly what Immutable.js's own give: equal results, the very collection
// returned when nothing changed, the same errors, the updater called with the
// same value. Each case is run with ours and with Immutable's own put back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { is, isImmutable, List, Map as IMap, OrderedMap, Record } from 'immutable';
import '../../src/engine/value.ts';
import { keyPathMethodsReplaced, withImmutableOwnKeyPaths } from '../../src/engine/keyPathFast.ts';
import { modelValues } from '../../src/engine/modelValue.ts';

/** A deterministic pseudo-random generator (LCG), so failures reproduce. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

const Task = Record({ patchState: 'unpatched', pending: false, funcStack: List<string>() }, 'Task');
const [t1, t2] = modelValues('t1', 't2');

/** A state of nested Maps, Lists and Records, with a plain object and an OrderedMap for the fallbacks. */
function state(): IMap<unknown, unknown> {
  return IMap<unknown, unknown>([
    ['tasks', IMap([[t1, Task()], [t2, Task({ patchState: 'patched', funcStack: List(['f', 'g']) })]])],
    ['counts', IMap({ a: 1, b: 2 })],
    ['list', List([1, List([2, 3]), IMap({ x: 1 })])],
    ['plain', { k: 1 }],
    ['ordered', OrderedMap({ z: 1 })],
    ['task', Task()],
  ]);
}

const keys: unknown[] = ['tasks', 'counts', 'list', 'plain', 'ordered', 'task', t1, t2, 'patchState', 'pending', 'funcStack', 'nope', 'a', 'b', 'x', 'z', 'k', 0, 1, 2, 5, -1, '__proto__', 'constructor'];
const values: unknown[] = ['patched', 'unpatched', false, true, 1, 2, undefined, List(['f', 'g']), IMap()];

type Outcome = { readonly value: unknown } | { readonly error: string };

function outcome(f: () => unknown): Outcome {
  try {
    return { value: f() };
  } catch (e) {
    return { error: e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e) };
  }
}

/** Immutable.is, or, where a plain object inside was copied (by both), equal when made plain. */
function sameValue(a: unknown, b: unknown): boolean {
  if (is(a, b)) return true;
  if (!isImmutable(a) || !isImmutable(b)) return false;
  try {
    assert.deepStrictEqual((a as { toJS(): unknown }).toJS(), (b as { toJS(): unknown }).toJS());
    return true;
  } catch {
    return false;
  }
}

/** Same result (Immutable.is), and the input itself exactly when Immutable's own returned its input. */
function assertSame(ours: Outcome, own: Outcome, input: unknown, what: string): void {
  if ('error' in own) {
    assert.deepEqual(ours, own, what);
    return;
  }
  assert.ok('value' in ours, `${what}: ours threw ${'error' in ours ? ours.error : ''}`);
  assert.ok(sameValue(ours.value, own.value), `${what}: value`);
  assert.equal(ours.value === input, own.value === input, `${what}: unchanged`);
}

describe('setIn, updateIn and update (engine fast path)', () => {
  it('are installed on Map, List and Record', () => {
    assert.equal(keyPathMethodsReplaced(), 9);
  });

  it('setIn gives what Immutable own gives on random paths', () => {
    const r = lcg(3);
    const s = state();
    for (let i = 0; i < 3000; i++) {
      const path = Array.from({ length: 1 + Math.floor(r() * 4) }, () => keys[Math.floor(r() * keys.length)]);
      const v = values[Math.floor(r() * values.length)];
      const ours = outcome(() => s.setIn(path, v));
      const own = outcome(() => withImmutableOwnKeyPaths(() => s.setIn(path, v)));
      assertSame(ours, own, s, `setIn ${String(path.map(String))} ${String(v)}`);
    }
  });

  it('setIn on paths that exist, with the value already there or a new one', () => {
    const s = state();
    const paths: unknown[][] = [
      ['tasks', t1, 'patchState'],
      ['tasks', t2, 'funcStack', 1],
      ['tasks', t2, 'funcStack', 2],
      ['list', 1, 0],
      ['list', 2, 'x'],
      ['counts', 'a'],
      ['task', 'pending'],
    ];
    for (const path of paths) {
      const there = s.getIn(path);
      for (const v of [there, 'patched', 'unpatched', 7]) {
        const ours = outcome(() => s.setIn(path, v));
        const own = outcome(() => withImmutableOwnKeyPaths(() => s.setIn(path, v)));
        assertSame(ours, own, s, `setIn ${String(path.map(String))} ${String(v)}`);
      }
    }
    // The value a record holds by default, set again: unchanged.
    assert.equal(s.setIn(['tasks', t1, 'patchState'], 'unpatched'), s);
  });

  it('updateIn and update call the updater with what Immutable own passes, and return the same', () => {
    const r = lcg(11);
    const s = state();
    const updaters: ((x: unknown) => unknown)[] = [(x) => x, (x) => (typeof x === 'number' ? x + 1 : 'new'), () => undefined, (x) => (x === undefined ? 'was missing' : x)];
    for (let i = 0; i < 3000; i++) {
      const path = Array.from({ length: 1 + Math.floor(r() * 3) }, () => keys[Math.floor(r() * keys.length)]);
      const f = updaters[Math.floor(r() * updaters.length)]!;
      const withDefault = r() < 0.5;
      const seenOurs: unknown[] = [];
      const seenOwn: unknown[] = [];
      const spy = (seen: unknown[]) => (x: unknown) => {
        seen.push(x);
        return f(x);
      };
      const ours = outcome(() => (withDefault ? s.updateIn(path, 'dflt', spy(seenOurs)) : s.updateIn(path, spy(seenOurs))));
      const own = outcome(() => withImmutableOwnKeyPaths(() => (withDefault ? s.updateIn(path, 'dflt', spy(seenOwn)) : s.updateIn(path, spy(seenOwn)))));
      assertSame(ours, own, s, `updateIn ${String(path.map(String))}`);
      assert.equal(seenOurs.length, seenOwn.length);
      seenOurs.forEach((x, j) => assert.ok(is(x, seenOwn[j]), `updateIn ${String(path.map(String))}: updater argument`));

      const key = path[0];
      const target = [s, s.get('counts'), s.get('list'), s.get('task')][i % 4] as IMap<unknown, unknown>;
      const u1 = outcome(() => (withDefault ? target.update(key, 'dflt', f) : target.update(key, f)));
      const u2 = outcome(() => withImmutableOwnKeyPaths(() => (withDefault ? target.update(key, 'dflt', f) : target.update(key, f))));
      assertSame(u1, u2, target, `update ${String(key)}`);
    }
    // One argument: the collection passed to the function.
    assert.equal(
      s.update((c) => c.size),
      6,
    );
  });

  it('a counter kept by update, as the livepatch model keeps one', () => {
    const m = IMap<string, number>();
    const a = m.update('n', 0, (n) => n + 1).update('n', 0, (n) => n + 1);
    assert.equal(a.get('n'), 2);
    assert.equal(a.update('n', (n) => n), a);
  });
});
