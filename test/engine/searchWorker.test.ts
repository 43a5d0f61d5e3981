// One searcher of a parallel search (src/engine/parallel/searchWorker.ts),
// driven message by message on this thread, on the hand-countable counter
// (test/support/counterSpec.ts: n steps by +1 or +2 up to 10). Level 2's
// frontier is n = 1, 2; both reach n = 3. Which successors the searcher
// flags KNOWN (certainly not new: met before at an earlier position) must
// not depend on the order in which it takes the level's chunks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadRecipe, recipeSource } from '../../src/cli/workerModel.ts';
import { fpHi, fpLo } from '../../src/engine/fingerprint.ts';
import { IN_MODEL, KNOWN, type Checked, type Expanded, type FromWorker, type ToWorker } from '../../src/engine/parallel/protocol.ts';
import { searchWorker } from '../../src/engine/parallel/searchWorker.ts';
import { FingerprintSet } from '../../src/engine/seenSet.ts';
import { fingerprintState } from '../../src/engine/traceRebuild.ts';

const spec = fileURLToPath(new URL('../support/counterSpec.ts', import.meta.url));

/** A searcher at level 2 (frontier n = 1, 2, one state per chunk), and the messages it sent. */
async function atLevelTwo(): Promise<{ handle: (m: ToWorker) => void; sent: FromWorker[] }> {
  const sent: FromWorker[] = [];
  let ready: () => void = () => undefined;
  const loaded = new Promise<void>((resolve) => (ready = resolve));
  const handle = searchWorker((m) => {
    sent.push(m);
    if (m.t === 'ready' || m.t === 'failed') ready();
  });
  handle({ t: 'load', source: recipeSource({ spec }), slot: 0, stride: 1, run: 1 });
  await loaded;
  assert.equal(sent.pop()?.t, 'ready');
  handle({ t: 'inits', indices: Int32Array.of(0), stored: 1 });
  handle({ t: 'expand', chunk: 0, from: 0, to: 1 });
  handle({ t: 'verdicts', chunk: 0, isNew: Uint8Array.of(1, 1) });
  const checked = sent.pop() as Checked;
  assert.ok(checked.block !== undefined);
  handle({ t: 'next', blocks: [checked.block], entries: [], stored: 3 });
  sent.length = 0;
  return { handle, sent };
}

/**
 * The searcher on the main thread at level 2: it reads `seen` (the coordinator's seen-set, which the
 * test fills as the coordinator would: n = 0, then level 1's n = 1, 2) instead of a filter of its own.
 */
async function atLevelTwoReading(seen: FingerprintSet, fingerprintOf: (n: number) => [number, number]): Promise<{ handle: (m: ToWorker) => void; sent: FromWorker[] }> {
  const sent: FromWorker[] = [];
  let ready: () => void = () => undefined;
  const loaded = new Promise<void>((resolve) => (ready = resolve));
  const handle = searchWorker((m) => {
    sent.push(m);
    if (m.t === 'ready' || m.t === 'failed') ready();
  });
  handle({ t: 'load', source: recipeSource({ spec }), slot: 0, stride: 1, run: 1 });
  await loaded;
  sent.length = 0;
  handle({ t: 'seen', seen });
  seen.add(...fingerprintOf(0), -1);
  handle({ t: 'inits', indices: Int32Array.of(0), stored: 1 });
  handle({ t: 'expand', chunk: 0, from: 0, to: 1 });
  assert.deepEqual(Array.from((sent[0] as Expanded).flags), [IN_MODEL, IN_MODEL], 'level 1: n = 1 and 2 are candidates');
  seen.add(...fingerprintOf(1), 0);
  seen.add(...fingerprintOf(2), 0);
  handle({ t: 'verdicts', chunk: 0, isNew: Uint8Array.of(1, 1) });
  const checked = sent.pop() as Checked;
  handle({ t: 'next', blocks: [checked.block!], entries: [], stored: 3 });
  sent.length = 0;
  return { handle, sent };
}

/** Successors of one expanded chunk, as [n of the fingerprint's state, flag]. */
function flagsOf(m: FromWorker | undefined, names: Map<string, number>): [number | undefined, number][] {
  assert.equal(m?.t, 'expanded');
  const e = m as Expanded;
  return Array.from(e.flags, (f, o) => [names.get(`${e.fps[2 * o]},${e.fps[2 * o + 1]}`), f]);
}

describe('searchWorker', async () => {
  // Fingerprint -> n, for reading the flags.
  const model = (await loadRecipe({ spec })).model;
  const names = new Map<string, number>();
  let s = model.initStates()[0]!;
  for (let n = 0; n <= 4; n++) {
    fingerprintState(model, s);
    names.set(`${fpHi},${fpLo}`, n);
    s = (s as unknown as { set(k: string, v: number): typeof s }).set('n', n + 1);
  }

  it('in frontier order: n = 3, met in the first chunk, is KNOWN in the second', async () => {
    const { handle, sent } = await atLevelTwo();
    handle({ t: 'expand', chunk: 0, from: 0, to: 1 }); // n = 1: 2 (stored), 3
    handle({ t: 'expand', chunk: 1, from: 1, to: 2 }); // n = 2: 3, 4
    assert.deepEqual(flagsOf(sent[0], names), [[2, KNOWN], [3, IN_MODEL]]);
    assert.deepEqual(flagsOf(sent[1], names), [[3, KNOWN], [4, IN_MODEL]]);
  });

  it("the second chunk first (taken from the back of another searcher's stripe): n = 3 stays a candidate in the first", async () => {
    const { handle, sent } = await atLevelTwo();
    handle({ t: 'expand', chunk: 1, from: 1, to: 2 });
    handle({ t: 'expand', chunk: 0, from: 0, to: 1 });
    assert.deepEqual(flagsOf(sent[0], names), [[3, IN_MODEL], [4, IN_MODEL]]);
    // Met before, but in a later chunk: the first occurrence, new in frontier order.
    assert.deepEqual(flagsOf(sent[1], names), [[2, KNOWN], [3, IN_MODEL]]);
  });

  it("another searcher's merged chunk makes its new states KNOWN", async () => {
    const { handle, sent } = await atLevelTwo();
    const three = [...names].find(([, n]) => n === 3)![0].split(',').map(Number);
    handle({ t: 'merged', fps: Int32Array.from(three) });
    handle({ t: 'expand', chunk: 1, from: 1, to: 2 });
    assert.deepEqual(flagsOf(sent[0], names), [[3, KNOWN], [4, IN_MODEL]]);
  });

  const fingerprintOf = (n: number): [number, number] => [...names].find(([, m]) => m === n)![0].split(',').map(Number) as [number, number];

  it('the searcher that reads the seen-set: a stored state is KNOWN, one merged during the level too, with no merged message', async () => {
    const seen = new FingerprintSet();
    const { handle, sent } = await atLevelTwoReading(seen, fingerprintOf);
    handle({ t: 'expand', chunk: 0, from: 0, to: 1 }); // n = 1: 2 (stored), 3
    assert.deepEqual(flagsOf(sent[0], names), [[2, KNOWN], [3, IN_MODEL]]);
    seen.add(...fingerprintOf(4), 2); // another searcher's chunk merged: n = 4 new
    handle({ t: 'expand', chunk: 1, from: 1, to: 2 }); // n = 2: 3 (met in chunk 0), 4 (stored)
    assert.deepEqual(flagsOf(sent[1], names), [[3, KNOWN], [4, KNOWN]]);
  });

  it('the searcher that reads the seen-set keeps the frontier-order rule for what it met itself', async () => {
    const seen = new FingerprintSet();
    const { handle, sent } = await atLevelTwoReading(seen, fingerprintOf);
    handle({ t: 'expand', chunk: 1, from: 1, to: 2 });
    handle({ t: 'expand', chunk: 0, from: 0, to: 1 });
    assert.deepEqual(flagsOf(sent[0], names), [[3, IN_MODEL], [4, IN_MODEL]]);
    assert.deepEqual(flagsOf(sent[1], names), [[2, KNOWN], [3, IN_MODEL]]);
  });
});
