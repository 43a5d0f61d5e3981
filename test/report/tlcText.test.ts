// TLC-style text. The DieHard trace below is the one TLC prints for NotSolved
// (the film's solution: fill the 5, pour into the 3, empty the 3, pour, fill
// the 5, pour: 4 gallons), in TLC's layout.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { List, Map as IMap, Record, Set as ISet } from 'immutable';
import { formatValue } from '../../src/engine/tlaText.ts';
import { renderTlcResult, renderTlcTrace } from '../../src/report/tlcText.ts';
import diehard from '../../specs/examples/diehard.ts';
import { checkSpec } from '../support/checkSpec.ts';
import { exploreReference } from '../support/referenceExplorer.ts';
import { instantiate } from '../../src/engine/spec.ts';

const DIEHARD_TRACE = `State 1: <Initial predicate>
/\\ big = 0
/\\ small = 0

State 2: <FillBigJug>
/\\ big = 5
/\\ small = 0

State 3: <BigToSmall>
/\\ big = 2
/\\ small = 3

State 4: <EmptySmallJug>
/\\ big = 2
/\\ small = 0

State 5: <BigToSmall>
/\\ big = 0
/\\ small = 2

State 6: <FillBigJug>
/\\ big = 5
/\\ small = 2

State 7: <BigToSmall>
/\\ big = 4
/\\ small = 3
`;

describe('TLC-style text', () => {
  it('prints values in TLA+ syntax, sets and functions in canonical order', () => {
    const R = Record({ a: 1, b: List([1, 2]) });
    assert.equal(formatValue(R()), '[a |-> 1, b |-> <<1, 2>>]');
    assert.equal(formatValue(ISet([3, 1, 2])), '{1, 2, 3}');
    assert.equal(formatValue(IMap([['y', 2], ['x', 1]])), '("x" :> 1 @@ "y" :> 2)');
    assert.equal(formatValue(List()), '<<>>');
    assert.equal(formatValue(ISet()), '{}');
    assert.equal(formatValue(true), 'TRUE');
    assert.equal(formatValue('r1'), '"r1"');
  });

  it('prints the DieHard counterexample as TLC does', () => {
    const r = checkSpec(diehard);
    assert.equal(renderTlcTrace(r.violation!.trace), DIEHARD_TRACE);
  });

  it('prints the verdict and TLC closing figures', () => {
    const r = checkSpec(diehard);
    const text = renderTlcResult(r);
    assert.ok(text.startsWith('Error: Invariant NotSolved is violated.\n'));
    assert.ok(text.includes('Error: The behavior up to this point is:\nState 1: <Initial predicate>'));
    // Counts at the stop come from the reference explorer (an independent implementation); the depth is the trace's.
    const ref = exploreReference(instantiate(diehard));
    assert.ok(text.endsWith(`${ref.generated} states generated, ${ref.distinct} distinct states found, 1 states left on queue.\nThe depth of the state graph search is 7.\n`), text);
    const ok = renderTlcResult(checkSpec(diehard, { invariants: ['TypeOK'] }));
    assert.match(ok, /^Model checking completed\. No error has been found\.\n/);
    assert.match(ok, /calculated \(optimistic\): {2}val = \d\.\dE-\d\d\n/);
    assert.ok(ok.endsWith('97 states generated, 16 distinct states found, 0 states left on queue.\nThe depth of the complete state graph search is 8.\n'));
  });

  it('in diff mode prints only the variables that changed', () => {
    const r = checkSpec(diehard);
    const text = renderTlcTrace(r.violation!.trace, { diff: true });
    assert.ok(text.includes('State 2: <FillBigJug>\n/\\ big = 5\n\nState 3'));
  });
});
