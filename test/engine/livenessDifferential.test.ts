// Differential test of the liveness check: on hundreds of small random graphs
// (random actions with parameters, self-edges, WF/SF per action or per
// parameter, the three property kinds), the checker's verdict must equal a
// brute-force reference that enumerates every set of states a behaviour may
// visit forever (test/support/randomGraph.ts); every lasso it reports must
// replay on the model and be fair (test/support/lassoCheck.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkWithLiveness } from '../../src/engine/liveness/checkLiveness.ts';
import { instantiate } from '../../src/engine/spec.ts';
import { lassoProblem } from '../support/lassoCheck.ts';
import { graphSpec, randomGraph, referenceViolated } from '../support/randomGraph.ts';

describe('liveness differential: checker vs brute-force reference', () => {
  it('agrees on 600 random graphs, and every lasso is a valid fair counterexample', () => {
    let violated = 0;
    for (let seed = 1; seed <= 600; seed++) {
      const g = randomGraph(seed);
      const model = instantiate(graphSpec(g));
      const r = checkWithLiveness(model);
      const expected = referenceViolated(g);
      assert.equal(r.verdict, expected ? 'liveness' : 'ok', `seed ${seed}: ${JSON.stringify(g)}`);
      if (r.verdict === 'liveness') {
        violated++;
        assert.equal(lassoProblem(model, r.violation!.trace, 'Prop'), undefined, `seed ${seed}`);
      }
    }
    // Both verdicts must be well represented for the agreement to mean something.
    assert.ok(violated > 100 && violated < 500, `violated ${violated} of 600`);
  });
});
