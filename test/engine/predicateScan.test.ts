// A searcher's scan of cover goals and premises (src/engine/parallel/predicateScan.ts),
// on test/fixtures/workersEdge.ts with COVER_HOLD_SUM = 2: cover Corner
// (predicate 0) holds where n + m = 2 and m > 0 and throws where n + m = 2
// and m = 0; the premise of invariant Guarded (predicate 1 + 1 = 2, covers
// first) holds where n = 0 and m > 2. Which candidates are new only the
// coordinator knows, so a predicate stays open after it held or threw, until
// `close` says it has held.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadRecipe } from '../../src/cli/workerModel.ts';
import { PredicateScan } from '../../src/engine/parallel/predicateScan.ts';
import type { StateLike } from '../../src/engine/value.ts';

describe('PredicateScan', async () => {
  const model = (await loadRecipe({ spec: 'test/fixtures/workersEdge.ts', const: ['COVER_HOLD_SUM=2'] })).model;
  const zero = model.initStates()[0] as StateLike & { set(k: 'n' | 'm', v: number): typeof zero };
  const state = (n: number, m: number): StateLike => zero.set('n', n).set('m', m);

  it('reports every state an open predicate holds on, with its ordinal, and keeps it open', () => {
    const scan = new PredicateScan(model);
    scan.observe(state(1, 1), 4);
    scan.observe(state(0, 3), 5);
    scan.observe(state(0, 2), 9);
    const taken = scan.take();
    assert.deepEqual(Array.from(taken.hits), [0, 4, 2, 5, 0, 9]);
    assert.deepEqual(taken.errors, []);
    // take() empties what it returned.
    assert.deepEqual(Array.from(scan.take().hits), []);
  });

  it('reports a predicate that throws, and keeps scanning for it', () => {
    const scan = new PredicateScan(model);
    scan.observe(state(2, 0), 3);
    scan.observe(state(1, 1), 7);
    const taken = scan.take();
    assert.deepEqual(taken.errors.map((e) => [e.predicate, e.ordinal]), [[0, 3]]);
    assert.match(taken.errors[0]!.error.message, /cover boom after it held/);
    assert.deepEqual(Array.from(taken.hits), [0, 7]);
  });

  it('close: the predicates that have held are no longer evaluated', () => {
    const scan = new PredicateScan(model);
    scan.close([0]);
    scan.observe(state(2, 0), 1); // would throw for Corner
    scan.observe(state(0, 3), 2);
    const taken = scan.take();
    assert.deepEqual(taken.errors, []);
    assert.deepEqual(Array.from(taken.hits), [2, 2]);
    scan.close(new Set([2]));
    scan.observe(state(0, 3), 3);
    assert.deepEqual(Array.from(scan.take().hits), []);
  });
});
