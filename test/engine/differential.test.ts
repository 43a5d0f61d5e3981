// Differential test: the real engine (fingerprints in typed arrays, parent
// links, trace replay) against the deliberately simple reference explorer
// (canonical strings in a plain Map) on many random small specs. Both must
// agree on every figure, the verdict and the trace length, and every engine
// trace must replay: each step a successor of the one before, by the action
// it names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { is } from 'immutable';
import { check } from '../../src/engine/bfs.ts';
import { instantiate } from '../../src/engine/spec.ts';
import { successorsOf } from '../../src/engine/successors.ts';
import { exploreReference } from '../support/referenceExplorer.ts';
import { randomSpec } from '../support/randomSpec.ts';

const SEEDS = 300;

describe('engine agrees with the reference explorer', () => {
  it(`on ${SEEDS} random specs`, () => {
    const verdicts = new Map<string, number>();
    for (let seed = 1; seed <= SEEDS; seed++) {
      const spec = randomSpec(seed);
      // Each explorer gets its own instance: random init/invariant choices are fixed per spec.
      const reference = exploreReference(instantiate(randomSpec(seed)));
      const model = instantiate(spec);
      const r = check(model);
      const ctx = `seed ${seed}`;
      assert.equal(r.verdict === 'ok' ? undefined : r.verdict, reference.violation?.kind, ctx);
      verdicts.set(r.verdict, (verdicts.get(r.verdict) ?? 0) + 1);
      assert.equal(r.stats.generated, reference.generated, `${ctx}: generated`);
      if (r.verdict === 'ok') {
        assert.equal(r.stats.distinct, reference.distinct, `${ctx}: distinct`);
        assert.equal(r.stats.depth, reference.depth, `${ctx}: depth`);
        continue;
      }
      const steps = r.violation!.trace.steps;
      assert.equal(steps.length, reference.violation!.traceLength, `${ctx}: trace length`);
      assert.equal(r.violation!.invariant?.name, reference.violation!.name, `${ctx}: invariant`);
      for (let i = 1; i < steps.length; i++) {
        const label = steps[i]!.action!.label;
        const action = model.actions.find((a) => a.label === label)!;
        assert.ok(successorsOf(action.next(steps[i - 1]!.state)).some((t) => is(t, steps[i]!.state)), `${ctx}: step ${i + 1} by ${label}`);
      }
    }
    // The random specs must exercise every verdict, or the test proves little.
    assert.ok((verdicts.get('ok') ?? 0) > 20, JSON.stringify([...verdicts]));
    assert.ok((verdicts.get('invariant') ?? 0) > 20, JSON.stringify([...verdicts]));
    assert.ok((verdicts.get('deadlock') ?? 0) > 20, JSON.stringify([...verdicts]));
  });
});
