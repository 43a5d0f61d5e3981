// The frontier FIFO: same order whatever the mode (live, packed, spilled to
// disk), exact figures, a spill folder that never outlives the queue, KLP330
// for a folder that cannot be written; and the search gives exactly the same
// results (figures, coverage, traces) with every state packed and spilled as
// with the default queue.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { List, Record, is } from 'immutable';
import { Explorer, check, type CheckOptions } from '../../src/engine/bfs.ts';
import { Frontier, checkFrontierFolder, type FrontierOptions } from '../../src/engine/frontier.ts';
import type { CheckResult } from '../../src/engine/result.ts';
import { instantiate, type Model } from '../../src/engine/spec.ts';
import { scenarioRun } from '../../src/cli/scenarioRun.ts';
import { loadScenario } from '../../src/spec/loadScenario.ts';
import chameneos from '../../specs/examples/chameneos.ts';
import { tlcFigureLines } from '../../src/report/tlcText.ts';
import { randomSpec } from '../support/randomSpec.ts';
import { runCli } from '../support/runCli.ts';

const base = mkdtempSync(join(tmpdir(), 'klp-frontier-test-'));
after(() => rmSync(base, { recursive: true, force: true }));

const S = Record({ n: 0, tag: 'x', xs: List<number>() });
const state = (i: number) => S({ n: i, tag: `t${i % 7}`, xs: List([i % 3, i % 5]) });

/** Pushes 0..n-1 (ids 2i), shifting one every third push; returns ids and n fields in shift order. */
function drive(options: FrontierOptions, n: number): { ids: number[]; ns: number[]; q: Frontier<ReturnType<typeof S>> } {
  const q = new Frontier<ReturnType<typeof S>>(options);
  const ids: number[] = [];
  const ns: number[] = [];
  const take = (): void => {
    const s = q.shift();
    ids.push(q.shiftedId);
    ns.push(s.n);
    assert.ok(is(s, state(s.n)));
  };
  for (let i = 0; i < n; i++) {
    q.push(state(i), 2 * i);
    if (i % 3 === 2) take();
  }
  while (q.length > 0) take();
  q.dispose();
  return { ids, ns, q };
}

describe('frontier queue', () => {
  const n = 2000;
  const expected = Array.from({ length: n }, (_, i) => i);

  it('live, packed, mixed and spilled queues all give back push order', () => {
    const dir = mkdtempSync(join(base, 'order-'));
    for (const options of [{}, { liveStates: 0 }, { liveStates: 10 }, { liveStates: 0, memoryBytes: 0, segmentBytes: 256, dir }, { liveStates: 50, memoryBytes: 1000, segmentBytes: 64, dir }]) {
      const { ids, ns } = drive(options, n);
      assert.deepEqual(ns, expected, JSON.stringify(options));
      assert.deepEqual(ids, expected.map((i) => 2 * i), JSON.stringify(options));
    }
    assert.deepEqual(readdirSync(dir), []);
  });

  it('figures: live queue packs nothing; packed queue counts its bytes; spilled bytes went to disk', () => {
    assert.deepEqual(drive({}, n).q.figures, { peakStates: 1334, packedStates: 0, packedBytes: 0, peakPackedBytes: 0, spilledBytes: 0, sharedRecords: 0 });
    const packed = drive({ liveStates: 0 }, n).q.figures;
    assert.deepEqual(packed, { peakStates: 1334, packedStates: 2000, packedBytes: 23552, peakPackedBytes: 16008, spilledBytes: 0, sharedRecords: 0 });
    const dir = mkdtempSync(join(base, 'figures-'));
    const spilled = drive({ liveStates: 0, memoryBytes: 0, segmentBytes: 1024, dir }, n).q.figures;
    assert.deepEqual(spilled, { peakStates: 1334, packedStates: 2000, packedBytes: 23575, peakPackedBytes: 16024, spilledBytes: 22204, sharedRecords: 0 });
    assert.deepEqual(readdirSync(dir), []);
  });

  it('the spill folder exists while segments are on disk, and dispose removes it', () => {
    const dir = mkdtempSync(join(base, 'dispose-'));
    const q = new Frontier<ReturnType<typeof S>>({ liveStates: 0, memoryBytes: 0, segmentBytes: 64, dir });
    for (let i = 0; i < 100; i++) q.push(state(i), i);
    const folders = readdirSync(dir);
    assert.equal(folders.length, 1);
    assert.match(folders[0]!, /^klpcheck-frontier-/);
    assert.ok(readdirSync(join(dir, folders[0]!)).length > 0);
    assert.equal(q.shift().n, 0);
    q.dispose();
    assert.deepEqual(readdirSync(dir), []);
    assert.equal(q.length, 0);
  });

  it('a folder that cannot be written (here a file): KLP330, one line, nothing left', () => {
    const file = join(base, 'a-file');
    writeFileSync(file, 'not a folder\n');
    assert.throws(() => checkFrontierFolder(file), (e: unknown) => (e as { code?: string }).code === 'KLP330' && (e as Error).message === `cannot make a frontier folder in ${file}: not a folder`);
    const q = new Frontier<ReturnType<typeof S>>({ liveStates: 0, memoryBytes: 0, segmentBytes: 64, dir: file });
    assert.throws(
      () => {
        for (let i = 0; i < 100; i++) q.push(state(i), i);
      },
      (e: unknown) => (e as { code?: string }).code === 'KLP330',
    );
    assert.equal(readFileSync(file, 'utf8'), 'not a folder\n');
  });

  it('klpcheck check --frontier-dir on a missing folder: exit 2, one line', () => {
    const r = runCli(['check', 'specs/livepatch/s2-immediate.yaml', '--frontier-dir', join(base, 'missing')]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `error KLP330: cannot make a frontier folder in ${join(base, 'missing')}: no such folder\n`);
    assert.equal(r.stdout, '');
  });
});

/** Everything a run reports except time and the frontier's own figures. */
function observable<S>(r: CheckResult<S>): unknown {
  const { elapsedMs: _e, frontier: _f, ...stats } = r.stats;
  const trace = r.violation?.trace.steps.map((s) => [s.index, s.action?.label, s.state]);
  return { verdict: r.verdict, bound: r.bound, stats, coverage: r.coverage, warnings: r.warnings, invariant: r.violation?.invariant, trace };
}

function assertSameRun<S>(what: string, model: () => Model<S>, options: CheckOptions = {}): void {
  const dir = mkdtempSync(join(base, 'run-'));
  const a = check(model(), options);
  const b = check(model(), { ...options, frontier: { liveStates: 0, memoryBytes: 0, segmentBytes: 512, dir } });
  const [oa, ob] = [observable(a), observable(b)] as [{ trace?: unknown[][] }, { trace?: unknown[][] }];
  assert.deepEqual({ ...ob, trace: undefined }, { ...oa, trace: undefined }, what);
  assert.equal(ob.trace?.length, oa.trace?.length, what);
  oa.trace?.forEach((step, i) => {
    assert.deepEqual(ob.trace![i]!.slice(0, 2), step.slice(0, 2), `${what} step ${i}`);
    assert.ok(is(ob.trace![i]![2], step[2]), `${what} step ${i}`);
  });
  // Every new state is queued, except one that violates an invariant.
  if (b.verdict !== 'invariant') assert.equal(b.stats.frontier!.packedStates, b.stats.distinct, what);
  assert.deepEqual(readdirSync(dir), [], `${what}: spill folder left`);
}

describe('the search with a packed, spilled frontier', () => {
  for (const name of ['diehard', 'twophase', 'chameneos', 'mutex-fairness']) {
    it(`example ${name}: same figures, coverage and trace`, async () => {
      const spec = ((await import(`../../specs/examples/${name}.ts`)) as { default: Parameters<typeof instantiate>[0] }).default;
      assertSameRun(name, () => instantiate(spec));
      assertSameRun(`${name} bounded`, () => instantiate(spec), { maxStates: 10 });
    });
  }

  it('every bundled livepatch scenario and variant', () => {
    for (const file of readdirSync('specs/livepatch').filter((f) => f.endsWith('.yaml'))) {
      const sc = loadScenario(`specs/livepatch/${file}`);
      for (const variant of [undefined, ...sc.variants.map((v) => v.name)]) {
        assertSameRun(`${file} ${variant ?? ''}`, () => instantiate(scenarioRun(sc, variant).spec));
      }
    }
  });

  // The reductions rebuild states (symmetry renames tasks, POR chooses among successors): with the
  // codec's shared records (ADR 0020) a decoded state holds shared objects, which must change nothing.
  for (const reduction of [{ symmetry: true }, { por: true }]) {
    it(`every bundled livepatch scenario and variant, ${Object.keys(reduction)[0]}`, () => {
      for (const file of readdirSync('specs/livepatch').filter((f) => f.endsWith('.yaml'))) {
        const sc = loadScenario(`specs/livepatch/${file}`);
        for (const variant of [undefined, ...sc.variants.map((v) => v.name)]) {
          assertSameRun(`${file} ${variant ?? ''} ${JSON.stringify(reduction)}`, () => instantiate(scenarioRun(sc, variant, {}, reduction).spec));
        }
      }
    });
  }

  it('an interrupted search removes its spill folder', () => {
    const dir = mkdtempSync(join(base, 'interrupt-'));
    let clock = 0;
    const explorer = new Explorer(instantiate(chameneos), { now: () => clock++, frontier: { liveStates: 0, memoryBytes: 0, segmentBytes: 256, dir } });
    for (let i = 0; i < 20; i++) assert.equal(explorer.run(0), 'paused');
    assert.equal(readdirSync(dir).length, 1);
    explorer.interrupt('SIGINT');
    const r = explorer.run(0);
    assert.ok(r !== 'paused' && r.verdict === 'incomplete' && r.bound?.kind === 'interrupted');
    assert.ok(r.stats.frontier!.spilledBytes > 0);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('the --timing figures add a Frontier line for a packed run only', () => {
    const dir = mkdtempSync(join(base, 'line-'));
    const frontierLines = (r: CheckResult): string[] => tlcFigureLines(r, { timing: true }).filter((l) => l.startsWith('Frontier'));
    assert.deepEqual(frontierLines(check(instantiate(chameneos))), []);
    // By hand: a state is the State record (tag, class: 2 bytes), the List of 4 creatures (tag, size, then
    // each creature a shared record: tag and an id under 128, 2 bytes: 10 bytes), meetingPlace (a small int,
    // 1 byte, or left at its default, the empty place: 1 byte, T_DEFAULT) and numMeetings (1), after the id
    // delta (1 byte, 2 past 127): 15 to 16 bytes. (Before T_DEFAULT the empty place was a string, 2 bytes,
    // and states took 15 to 17 bytes, 16 on average.) Before shared records, each creature was written out in
    // 5 bytes (tag, class, colour string 2, meetings 1): 27 to 29 bytes a state.
    assert.deepEqual(frontierLines(check(instantiate(chameneos), { frontier: { liveStates: 0 } })), ['Frontier: peak 8,691 states, packed 0.1 MiB (15 bytes/state).']);
    assert.deepEqual(frontierLines(check(instantiate(chameneos), { frontier: { liveStates: 0, memoryBytes: 1, segmentBytes: 65536, dir } })), [
      // 34,534 states of 15 to 16 bytes (about 0.5 MiB) in 64 KiB segments: every full segment goes through disk
      // except one the reader is in when it fills (frontier.ts, `sealed`): less than the 0.5 MiB, at least 0.3.
      'Frontier: peak 8,691 states, packed 0.1 MiB (15 bytes/state, 0.3 MiB through disk).',
    ]);
  });

  it('100 random specs', () => {
    for (let seed = 1; seed <= 100; seed++) assertSameRun(`seed ${seed}`, () => instantiate(randomSpec(seed)));
  });
});
