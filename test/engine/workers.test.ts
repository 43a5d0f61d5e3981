// --workers N gives exactly the one-thread run: same verdict, counts,
// coverage, warnings and the same shortest trace (actions and states), for
// every example spec, every bundled livepatch scenario under each of its
// variants, bounds, vacuity fixtures, symmetry and a spec that throws.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { check, type CheckOptions } from '../../src/engine/bfs.ts';
import { checkParallel } from '../../src/engine/parallel/checkParallel.ts';
import { WorkerPool } from '../../src/engine/parallel/pool.ts';
import type { CheckResult } from '../../src/engine/result.ts';
import { loadRecipe, recipeSource, type ModelRecipe } from '../../src/cli/workerModel.ts';
import { loadScenarioFile } from '../../src/spec/loadScenarioFile.ts';

/** A run as text: everything but time and memory figures (the workers' frontier is in shared memory: no packed-frontier figures). */
function comparable(r: CheckResult): string {
  return JSON.stringify({ ...r, stats: { ...r.stats, elapsedMs: 0, seenSetBytes: 0, frontier: undefined } });
}

async function oneThread(recipe: ModelRecipe, options: CheckOptions): Promise<CheckResult | Error> {
  try {
    return check((await loadRecipe(recipe)).model, options);
  } catch (e) {
    return e as Error;
  }
}

// One pool per number of workers for the whole file: starting workers costs more than most of these runs.
const pools = new Map<number, WorkerPool>();
after(async () => {
  for (const p of pools.values()) await p.close();
});

async function parallel(recipe: ModelRecipe, workers: number, options: CheckOptions, joinFrom?: number): Promise<CheckResult | Error> {
  let pool = pools.get(workers);
  if (pool === undefined) pools.set(workers, (pool = new WorkerPool(workers)));
  try {
    return await checkParallel((await loadRecipe(recipe)).model, { ...options, workers, source: recipeSource(recipe), pool, ...(joinFrom === undefined ? {} : { joinFrom }) });
  } catch (e) {
    return e as Error;
  }
}

/** Checks `recipe` on one thread and on each number of workers; returns the one-thread result. */
async function same(recipe: ModelRecipe, workers: readonly number[] = [2, 3], options: CheckOptions = {}, joinFrom?: number): Promise<CheckResult | Error> {
  const one = await oneThread(recipe, options);
  for (const w of workers) {
    const many = await parallel(recipe, w, options, joinFrom);
    if (one instanceof Error) {
      assert.ok(many instanceof Error, `${recipe.spec} with ${w} workers: expected ${one.message}`);
      assert.equal(many.message, one.message);
      assert.equal((many as { code?: string }).code, (one as { code?: string }).code);
      continue;
    }
    assert.ok(!(many instanceof Error), `${recipe.spec} with ${w} workers threw ${String(many)}`);
    assert.equal(comparable(many), comparable(one), `${recipe.spec} ${JSON.stringify(recipe)} with ${w} workers`);
  }
  return one;
}

const ok = (r: CheckResult | Error): CheckResult => {
  assert.ok(!(r instanceof Error), String(r));
  return r;
};

describe('--workers: the same run as one thread', () => {
  it('DieHard: NotSolved violated at depth 7, same trace', async () => {
    const r = ok(await same({ spec: 'specs/examples/diehard.ts' }));
    assert.equal(r.verdict, 'invariant');
    assert.equal(r.violation!.trace.steps.length, 7);
    assert.deepEqual([r.stats.distinct, r.stats.generated], [14, 73]);
  });

  it('DieHard with TypeOK only: 16 / 97 / 8', async () => {
    const r = ok(await same({ spec: 'specs/examples/diehard.ts', invariant: ['TypeOK'] }));
    assert.deepEqual([r.verdict, r.stats.distinct, r.stats.generated, r.stats.depth], ['ok', 16, 97, 8]);
  });

  it('TwoPhase, Chameneos, MutexFairness', async () => {
    assert.deepEqual(ok(await same({ spec: 'specs/examples/twophase.ts' })).stats.distinct, 288);
    assert.deepEqual(ok(await same({ spec: 'specs/examples/chameneos.ts' }, [2])).stats.distinct, 34534);
    assert.equal(ok(await same({ spec: 'specs/examples/mutex-fairness.ts' })).verdict, 'ok');
  });

  it('a pool of its own per run (no pool given): started and closed', async () => {
    const recipe: ModelRecipe = { spec: 'specs/examples/twophase.ts' };
    const r = await checkParallel((await loadRecipe(recipe)).model, { workers: 2, source: recipeSource(recipe) });
    assert.equal(comparable(r), comparable(ok(await oneThread(recipe, {}))));
  });

  it('LamportMutex (maxClock = 3) and Disruptor_MPMC (MaxPublished = 4): the CONSTRAINT drops states', async () => {
    const l = ok(await same({ spec: 'specs/examples/lamport-mutex.ts', const: ['maxClock=3'] }));
    assert.equal(l.verdict, 'ok');
    const d = ok(await same({ spec: 'specs/examples/disruptor-mpmc.ts', const: ['MaxPublished=4'] }));
    assert.equal(d.verdict, 'ok');
  });

  it('bounds: --max-states and --max-depth stop at the same state', async () => {
    const lamport: ModelRecipe = { spec: 'specs/examples/lamport-mutex.ts' };
    for (const maxStates of [1, 100, 5000]) {
      const r = ok(await same(lamport, [2], { maxStates }));
      assert.equal(r.verdict, 'incomplete');
    }
    const r = ok(await same(lamport, [2, 3], { maxDepth: 9 }));
    assert.deepEqual([r.verdict, r.bound?.kind, r.stats.depth], ['incomplete', 'max-depth', 9]);
  });

  it('a spec that throws: the same KLP108 error', async () => {
    const e = await same({ spec: 'test/fixtures/actionThrows.ts' });
    assert.ok(e instanceof Error);
    assert.match(e.message, /threw while evaluating action Boom/);
  });

  it('every event that ends a search, at the same point (test/fixtures/workersEdge.ts)', async () => {
    const spec = 'test/fixtures/workersEdge.ts';
    const cases: [readonly string[], string][] = [
      [[], 'deadlock'],
      [['MLIMIT=2', 'LIMIT=3', 'C=3'], 'ok'],
      [['BAD=4', 'C=3'], 'invariant'],
      [['BAD=4'], 'invariant'],
      [['LIMIT=40', 'MLIMIT=40', 'C=30'], 'ok'],
    ];
    for (const [c, verdict] of cases) assert.equal(ok(await same({ spec, const: [...c] })).verdict, verdict, c.join(' '));
    // The violating state lies outside the CONSTRAINT: the trace ends with it all the same.
    const outside = ok(await same({ spec, const: ['BAD=4', 'C=3'] }));
    const last = outside.violation!.trace.steps.at(-1)!.state as unknown as { n: number; m: number };
    assert.ok(last.n + last.m > 3 && last.n >= 4);
    for (const maxStates of [3, 50, 300]) ok(await same({ spec, const: ['LIMIT=40', 'MLIMIT=40', 'C=30'] }, [2, 3], { maxStates }));
    for (const c of [['THROW_AT=3'], ['COVER_THROW_AT=4'], ['COVER_THROW_AT=1', 'BAD=1']]) {
      const e = await same({ spec, const: c });
      assert.ok(e instanceof Error && /threw while evaluating/.test(e.message), `${c.join(' ')}: ${String(e)}`);
    }
    // The cover holds on (1, 1), then throws on (2, 0), both of level 2 in that order: no error, as a
    // cover goal is not evaluated again once it has held (the searchers scan it until the level's end).
    const held = ok(await same({ spec, const: ['COVER_HOLD_SUM=2'] }));
    assert.deepEqual([held.verdict, held.warnings.length], ['deadlock', 0]);
    // n + m = 20 first appears at level 11, in several chunks: holding and throwing states interleave.
    await same({ spec, const: ['LIMIT=40', 'MLIMIT=40', 'C=30', 'COVER_HOLD_SUM=20'] });
  });

  it('vacuity fixtures: the same warnings', async () => {
    for (const f of readdirSync('test/fixtures/vacuity').filter((x) => x.endsWith('.yaml'))) {
      const r = await same({ spec: `test/fixtures/vacuity/${f}` }, [2]);
      if (!(r instanceof Error) && r.verdict === 'ok') assert.ok(r.warnings.length > 0, f);
    }
  });

  it('symmetry reduction (s8-reverse, --symmetry)', async () => {
    const r = ok(await same({ spec: 'specs/livepatch/s8-reverse.yaml', symmetry: true }, [2]));
    assert.equal(r.stats.distinct, 294);
  });

  it('partial-order reduction (--por): the same reduced search, every bundled scenario and variant', async () => {
    for (const file of readdirSync('specs/livepatch').filter((f) => f.endsWith('.yaml')).sort()) {
      const spec = `specs/livepatch/${file}`;
      const sc = await loadScenarioFile(spec, []);
      await same({ spec, por: true }, [2]);
      for (const v of sc.variants) await same({ spec, variant: v.name, por: true }, [2]);
    }
  });

  // A worker thread that is not ready when the search starts joins at a later level's start: it
  // gets every stored fingerprint and every codec id made so far, a Record class by replaying its
  // witness's path from an initial state. Forced here at levels 3 and 6 (a pool's workers are
  // usually ready at once); the search must not change.
  it('worker threads joining late (levels 3 and 6): the same runs, --por and --symmetry included', async () => {
    for (const joinFrom of [3, 6]) {
      const twophase = ok(await same({ spec: 'specs/examples/twophase.ts' }, [2, 3], {}, joinFrom));
      assert.equal(twophase.stats.distinct, 288);
      ok(await same({ spec: 'specs/examples/chameneos.ts' }, [2], {}, joinFrom));
      assert.equal(ok(await same({ spec: 'specs/examples/diehard.ts' }, [2], {}, joinFrom)).violation!.trace.steps.length, 7);
      ok(await same({ spec: 'specs/examples/lamport-mutex.ts', const: ['maxClock=3'] }, [2], {}, joinFrom));
      ok(await same({ spec: 'specs/examples/lamport-mutex.ts' }, [2], { maxStates: 5000 }, joinFrom));
      for (const file of ['s1-fork-matrix.yaml', 's7-atomic-replace.yaml', 's8-reverse.yaml']) {
        const spec = `specs/livepatch/${file}`;
        await same({ spec }, [2], {}, joinFrom);
        await same({ spec, por: true }, [2], {}, joinFrom);
        for (const v of (await loadScenarioFile(spec, [])).variants) await same({ spec, variant: v.name }, [2], {}, joinFrom);
      }
      assert.equal(ok(await same({ spec: 'specs/livepatch/s8-reverse.yaml', symmetry: true }, [2], {}, joinFrom)).stats.distinct, 294);
    }
  });

  // A search that ends while a worker thread is still expanding chunks (a pool serves several
  // runs): that thread's answers arrive during the next run and must be dropped, not merged.
  it('a run that ends with chunks in flight: the next run on the same pool is not disturbed', async () => {
    const pool = new WorkerPool(2);
    try {
      const run = async (recipe: ModelRecipe): Promise<CheckResult> =>
        checkParallel((await loadRecipe(recipe)).model, { workers: 2, source: recipeSource(recipe), pool });
      await run({ spec: 'specs/examples/diehard.ts' }); // the worker thread has the engine loaded
      const first = await run({ spec: 'test/support/slowInWorkersSpec.ts' });
      // Init, Spread(0), Advance: n = 2, i = 0 is the first state of level 3 in BFS order.
      assert.equal(first.verdict, 'invariant');
      assert.equal(first.violation!.trace.steps.length, 3);
      // The worker thread still has level 2 chunks to expand (5 ms a step) while this runs.
      const recipe = { spec: 'specs/examples/lamport-mutex.ts', const: ['maxClock=3'] };
      const next = await run(recipe);
      const one = await oneThread(recipe, {});
      assert.ok(!(one instanceof Error));
      assert.equal(comparable(next), comparable(one));
    } finally {
      await pool.close();
    }
  });

  for (const file of readdirSync('specs/livepatch').filter((f) => f.endsWith('.yaml')).sort()) {
    it(`specs/livepatch/${file}, each variant`, async () => {
      const spec = `specs/livepatch/${file}`;
      const sc = await loadScenarioFile(spec, []);
      await same({ spec }, [2, 3]);
      for (const v of sc.variants) await same({ spec, variant: v.name }, [2]);
    });
  }
});
