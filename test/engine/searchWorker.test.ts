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
import { chunkVerdict } from '../../src/engine/parallel/chunkVerdict.ts';
import { IN_MODEL, KNOWN, type Expanded, type FromWorker, type ToWorker } from '../../src/engine/parallel/protocol.ts';
import { searchWorker } from '../../src/engine/parallel/searchWorker.ts';
import { SeenHandover } from '../../src/engine/parallel/seenReader.ts';
import { FingerprintSet } from '../../src/engine/seenSet.ts';
import { fingerprintState } from '../../src/engine/traceRebuild.ts';

const spec = fileURLToPath(new URL('../support/counterSpec.ts', import.meta.url));

type Driver = { handle: (m: ToWorker) => void; sent: FromWorker[]; seen: FingerprintSet; expand(chunk: number, from: number, to: number): void };

/**
 * A searcher at level 2 (frontier n = 1, 2, one state per chunk), and the messages it sent. `seen` is
 * the coordinator's seen-set, which the test fills as the coordinator would (n = 0, then level 1's
 * n = 1, 2): the main thread's searcher reads it by reference, a worker thread's in shared memory,
 * its buffers handed over with each chunk to expand.
 */
async function atLevelTwo(on: 'main thread' | 'worker thread', fingerprintOf: (n: number) => [number, number]): Promise<Driver> {
  const sent: FromWorker[] = [];
  let ready: () => void = () => undefined;
  const loaded = new Promise<void>((resolve) => (ready = resolve));
  const handle = searchWorker((m) => {
    sent.push(m);
    if (m.t === 'ready' || m.t === 'failed') ready();
  });
  const seen = new FingerprintSet(1 << 10, true);
  const handover = new SeenHandover();
  const expand = (chunk: number, from: number, to: number): void => {
    const delta = on === 'worker thread' ? handover.delta(seen) : undefined;
    handle(delta === undefined ? { t: 'expand', chunk, from, to } : { t: 'expand', chunk, from, to, seen: delta });
  };
  handle({ t: 'load', source: recipeSource({ spec }), slot: 0, stride: 1, run: 1 });
  await loaded;
  assert.equal(sent.pop()?.t, 'ready');
  if (on === 'main thread') handle({ t: 'seen', seen });
  seen.add(...fingerprintOf(0), -1);
  handle({ t: 'inits', indices: Int32Array.of(0), stored: 1, reached: [] });
  expand(0, 0, 1);
  const first = sent[0] as Expanded;
  assert.deepEqual(Array.from(first.flags), [IN_MODEL, IN_MODEL], 'level 1: n = 1 and 2 are candidates');
  assert.deepEqual(Array.from(first.candidates.ordinals), [0, 1], 'both sent encoded');
  seen.add(...fingerprintOf(1), 0);
  seen.add(...fingerprintOf(2), 0);
  const verdict = chunkVerdict(first, Uint8Array.of(1, 1));
  assert.ok(verdict.block !== undefined);
  handle({ t: 'next', blocks: [verdict.block], entries: [], stored: 3, reached: [] });
  sent.length = 0;
  return { handle, sent, seen, expand };
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

  const fingerprintOf = (n: number): [number, number] => [...names].find(([, m]) => m === n)![0].split(',').map(Number) as [number, number];

  for (const on of ['main thread', 'worker thread'] as const) {
    it(`${on}: in frontier order, n = 2 (stored) is KNOWN, and n = 3, met in the first chunk, is KNOWN in the second`, async () => {
      const { sent, expand } = await atLevelTwo(on, fingerprintOf);
      expand(0, 0, 1); // n = 1: 2 (stored), 3
      expand(1, 1, 2); // n = 2: 3, 4
      assert.deepEqual(flagsOf(sent[0], names), [[2, KNOWN], [3, IN_MODEL]]);
      assert.deepEqual(flagsOf(sent[1], names), [[3, KNOWN], [4, IN_MODEL]]);
    });

    it(`${on}: the second chunk first (taken from the back of another searcher's stripe): n = 3 stays a candidate in the first`, async () => {
      const { sent, expand } = await atLevelTwo(on, fingerprintOf);
      expand(1, 1, 2);
      expand(0, 0, 1);
      assert.deepEqual(flagsOf(sent[0], names), [[3, IN_MODEL], [4, IN_MODEL]]);
      // Met before, but in a later chunk: the first occurrence, new in frontier order.
      assert.deepEqual(flagsOf(sent[1], names), [[2, KNOWN], [3, IN_MODEL]]);
    });

    it(`${on}: a state another searcher's chunk stored during the level is KNOWN, with no message about it`, async () => {
      const { sent, seen, expand } = await atLevelTwo(on, fingerprintOf);
      expand(0, 0, 1);
      seen.add(...fingerprintOf(4), 2); // the coordinator merged a chunk that found n = 4 new
      expand(1, 1, 2);
      assert.deepEqual(flagsOf(sent[1], names), [[3, KNOWN], [4, KNOWN]]);
    });
  }
});
